/*
 * Tests of the runtime helpers against this machine: the kernel's view of the CPU, the real
 * cgroup hierarchy, real signals, files and clocks. Run by test.sh; exits non-zero and names
 * every failed check.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <jni.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "amd64cpufeatures.h"
#include "svm_locale.h"

int getThreadId(void);
int openSII(const char *pathname, int flags, int mode);
int fprintfSD(FILE *stream, const char *format, const char *s, int d);
char *SVM_FindJavaTZmd(const char *tz_mappings, int length);
int svm_initialize_locale(void);
svm_locale_props_t *svm_get_locale(void);
void determineCPUFeatures(CPUFeatures *features);
int checkCPUFeatures(const unsigned char *buildtime_mask);
int cSunMiscSignal_open(void);
int cSunMiscSignal_close(void);
int cSunMiscSignal_awaitSemaphore(void);
int cSunMiscSignal_signalRangeCheck(int signal);
int cSunMiscSignal_checkPendingSignal(void);
void (*cSunMiscSignal_signalHandlerFunctionPointer(void))(int);
int svm_container_initialize(int version);
uint64_t svm_container_physical_memory(void);
int svm_container_active_processor_count(void);
jint JVM_ActiveProcessorCount(void);
jlong JVM_NanoTime(JNIEnv *env, jclass ignored);
void *JVM_RawMonitorCreate(void);
jint JVM_RawMonitorEnter(void *monitor);
void JVM_RawMonitorExit(void *monitor);
void JVM_RawMonitorDestroy(void *monitor);
int jio_snprintf(char *buffer, size_t count, const char *format, ...);

static int failures;

#define CHECK(condition, ...)                                   \
    do {                                                        \
        if (!(condition)) {                                     \
            failures++;                                         \
            fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                       \
            fputc('\n', stderr);                                \
        }                                                       \
    } while (0)

static int same(const char *actual, const char *expected) {
    return (actual == NULL && expected == NULL) || (actual != NULL && expected != NULL && strcmp(actual, expected) == 0);
}

static void zone(const char *tz, const char *expected) {
    if (tz == NULL) {
        unsetenv("TZ");
    } else {
        setenv("TZ", tz, 1);
    }
    char *actual = SVM_FindJavaTZmd(NULL, 0);
    CHECK(same(actual, expected), "TZ=%s: zone %s, expected %s", tz ? tz : "(unset)", actual ? actual : "NULL", expected ? expected : "NULL");
    free(actual);
}

static void time_zones(void) {
    zone(":Europe/Berlin", "Europe/Berlin");
    zone("Asia/Tokyo", "Asia/Tokyo");
    zone("/usr/share/zoneinfo/America/New_York", "America/New_York");
    zone("/usr/share/zoneinfo/posix/Europe/Paris", "Europe/Paris");
    /* With no TZ: /etc/timezone, else the /etc/localtime link, as on this machine. */
    char expected[PATH_MAX] = "";
    FILE *file = fopen("/etc/timezone", "r");
    if (file != NULL && fgets(expected, sizeof(expected), file) != NULL) {
        expected[strcspn(expected, " \t\r\n")] = '\0';
    } else {
        char target[PATH_MAX];
        ssize_t n = readlink("/etc/localtime", target, sizeof(target) - 1);
        if (n > 0) {
            target[n] = '\0';
            char *marker = strstr(target, "zoneinfo/");
            snprintf(expected, sizeof(expected), "%s", marker ? marker + 9 : target);
        }
    }
    if (file != NULL) {
        fclose(file);
    }
    zone(NULL, expected[0] ? expected : NULL);
}

static void locale(void) {
    setenv("LC_ALL", "C", 1);
    CHECK(svm_initialize_locale() == SVM_LOCALE_INITIALIZATION_SUCCEEDED, "locale initialization failed");
    svm_locale_props_t *props = svm_get_locale();
    CHECK(same(props->display_language, "en") && same(props->display_country, "US"), "LC_ALL=C: %s_%s, expected en_US",
          props->display_language, props->display_country);
    CHECK(same(props->format_language, "en") && same(props->format_country, "US") && props->format_script == NULL &&
              props->format_variant == NULL, "LC_ALL=C: format %s_%s", props->format_language, props->format_country);
    /* C.UTF-8 (glibc 2.35+ and Debian have it built in): language en, no country, as the JDK says. */
    setenv("LC_ALL", "C.UTF-8", 1);
    if (setlocale(LC_ALL, "") != NULL) {
        CHECK(svm_initialize_locale() == SVM_LOCALE_INITIALIZATION_SUCCEEDED, "locale initialization failed");
        CHECK(same(props->display_language, "en") && props->display_country == NULL, "LC_ALL=C.UTF-8: %s_%s, expected en",
              props->display_language, props->display_country ? props->display_country : "");
    }
}

static const struct {
    const char *flag;
    size_t offset;
} kernel_flags[] = {
    {"cx8", offsetof(CPUFeatures, fCX8)},       {"cmov", offsetof(CPUFeatures, fCMOV)},
    {"mmx", offsetof(CPUFeatures, fMMX)},       {"sse", offsetof(CPUFeatures, fSSE)},
    {"sse2", offsetof(CPUFeatures, fSSE2)},     {"pni", offsetof(CPUFeatures, fSSE3)},
    {"ssse3", offsetof(CPUFeatures, fSSSE3)},   {"sse4_1", offsetof(CPUFeatures, fSSE4_1)},
    {"sse4_2", offsetof(CPUFeatures, fSSE4_2)}, {"popcnt", offsetof(CPUFeatures, fPOPCNT)},
    {"abm", offsetof(CPUFeatures, fLZCNT)},     {"pclmulqdq", offsetof(CPUFeatures, fCLMUL)},
    {"aes", offsetof(CPUFeatures, fAES)},       {"avx", offsetof(CPUFeatures, fAVX)},
    {"avx2", offsetof(CPUFeatures, fAVX2)},     {"fma", offsetof(CPUFeatures, fFMA)},
    {"f16c", offsetof(CPUFeatures, fF16C)},     {"bmi1", offsetof(CPUFeatures, fBMI1)},
    {"bmi2", offsetof(CPUFeatures, fBMI2)},     {"adx", offsetof(CPUFeatures, fADX)},
    {"erms", offsetof(CPUFeatures, fERMS)},     {"sha_ni", offsetof(CPUFeatures, fSHA)},
    {"avx512f", offsetof(CPUFeatures, fAVX512F)}, {"avx512bw", offsetof(CPUFeatures, fAVX512BW)},
    {"avx512vl", offsetof(CPUFeatures, fAVX512VL)}, {"avx512dq", offsetof(CPUFeatures, fAVX512DQ)},
    {"avx512cd", offsetof(CPUFeatures, fAVX512CD)}, {"clflushopt", offsetof(CPUFeatures, fFLUSHOPT)},
    {"clwb", offsetof(CPUFeatures, fCLWB)},     {"rdtscp", offsetof(CPUFeatures, fRDTSCP)},
    {"hypervisor", offsetof(CPUFeatures, fHV)},
};

static void cpu_features(void) {
    char flags[16384] = "";
    FILE *file = fopen("/proc/cpuinfo", "r");
    CHECK(file != NULL, "cannot read /proc/cpuinfo");
    if (file == NULL) {
        return;
    }
    char line[16384];
    while (fgets(line, sizeof(line), file) != NULL) {
        if (strncmp(line, "flags", 5) == 0) {
            snprintf(flags, sizeof(flags), " %s ", strchr(line, ':') + 1);
            flags[strcspn(flags, "\n")] = ' ';
            break;
        }
    }
    fclose(file);
    CPUFeatures features;
    determineCPUFeatures(&features);
    const char *bytes = (const char *) &features;
    for (size_t i = 0; i < sizeof(kernel_flags) / sizeof(kernel_flags[0]); i++) {
        char word[64];
        snprintf(word, sizeof(word), " %s ", kernel_flags[i].flag);
        int kernel = strstr(flags, word) != NULL;
        CHECK(bytes[kernel_flags[i].offset] == kernel, "%s: helper says %d, the kernel says %d", kernel_flags[i].flag,
              bytes[kernel_flags[i].offset], kernel);
    }
    for (size_t i = 0; i < sizeof(features); i++) {
        CHECK(bytes[i] == 0 || bytes[i] == 1, "feature byte %zu is %d", i, bytes[i]);
    }

    /* Stored negated, 0xfe = required; the struct rounded up to 8 bytes, as the builder does. */
    unsigned char mask[(sizeof(CPUFeatures) + 7) / 8 * 8];
    memset(mask, 0xff, sizeof(mask));
    CHECK(checkCPUFeatures(mask) == 0, "nothing required, yet the check fails");
    mask[offsetof(CPUFeatures, fSSE2)] = 0xfe;
    CHECK(checkCPUFeatures(mask) == 0, "SSE2 required, present on every amd64, yet the check fails");
    mask[offsetof(CPUFeatures, fAVX512ER)] = 0xfe; /* Xeon Phi only */
    CHECK(features.fAVX512ER || checkCPUFeatures(mask) != 0, "AVX512ER required and absent, yet the check passes");
}

static void signals(void) {
    CHECK(cSunMiscSignal_open() == 0, "open failed");
    CHECK(cSunMiscSignal_open() == 1, "a second open must report the mechanism as claimed");
    CHECK(cSunMiscSignal_signalRangeCheck(SIGTERM) && !cSunMiscSignal_signalRangeCheck(0) &&
              !cSunMiscSignal_signalRangeCheck(NSIG), "range check");
    CHECK(cSunMiscSignal_checkPendingSignal() == -1, "a signal pending before any arrived");
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = cSunMiscSignal_signalHandlerFunctionPointer();
    action.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    raise(SIGTERM);
    raise(SIGUSR1);
    raise(SIGUSR1);
    for (int i = 0; i < 3; i++) {
        CHECK(cSunMiscSignal_awaitSemaphore() == 0, "await %d failed", i);
    }
    CHECK(cSunMiscSignal_checkPendingSignal() == SIGUSR1, "first pending is not SIGUSR1");
    CHECK(cSunMiscSignal_checkPendingSignal() == SIGUSR1, "second pending is not SIGUSR1");
    CHECK(cSunMiscSignal_checkPendingSignal() == SIGTERM, "third pending is not SIGTERM");
    CHECK(cSunMiscSignal_checkPendingSignal() == -1, "more signals than were raised");
    CHECK(cSunMiscSignal_close() == 0, "close failed");
    CHECK(cSunMiscSignal_open() == 0, "open after close failed");
    CHECK(cSunMiscSignal_close() == 0, "second close failed");
}

static void container(void) {
    CHECK(svm_container_initialize(240100 + 1) == 2, "a newer image must find the library too old");
    CHECK(svm_container_initialize(240100 - 1) == 3, "an older image must find the library too new");
    int state = svm_container_initialize(240100);
    CHECK(state == 0 || state == 1, "initialize: %d", state);
    uint64_t memory = svm_container_physical_memory();
    uint64_t host = (uint64_t) sysconf(_SC_PHYS_PAGES) * (uint64_t) sysconf(_SC_PAGESIZE);
    CHECK(memory > 0 && memory <= host, "physical memory %llu, host %llu", (unsigned long long) memory, (unsigned long long) host);
    int processors = svm_container_active_processor_count();
    CHECK(processors >= 1 && processors <= JVM_ActiveProcessorCount(), "processors %d of %d", processors, JVM_ActiveProcessorCount());
    printf("container: %s, memory %llu MiB of %llu, %d of %d processors\n", state ? "yes" : "no",
           (unsigned long long) (memory >> 20), (unsigned long long) (host >> 20), processors, JVM_ActiveProcessorCount());
}

/* Writes text to a file; 0 on success. */
static int write_file(const char *path, const char *text) {
    FILE *file = fopen(path, "w");
    if (file == NULL) {
        return -1;
    }
    int ok = fputs(text, file) >= 0;
    return fclose(file) == 0 && ok ? 0 : -1;
}

/*
 * The limits of a real cgroup: a child process joins new cgroup v1 memory and cpu groups with a
 * 200 MiB limit and a quota of one and a half CPUs, and must see them. Needs root and a writable
 * cgroup v1 hierarchy (as CI has); elsewhere it says so and checks nothing.
 */
static void container_limits(void) {
    char memory[PATH_MAX], cpu[PATH_MAX], file[PATH_MAX + 32];
    snprintf(memory, sizeof(memory), "/sys/fs/cgroup/memory/piw-runtime-test-%d", (int) getpid());
    snprintf(cpu, sizeof(cpu), "/sys/fs/cgroup/cpu/piw-runtime-test-%d", (int) getpid());
    if (mkdir(memory, 0755) != 0) {
        printf("container limits: not checked (cannot create %s)\n", memory);
        return;
    }
    int have_cpu = mkdir(cpu, 0755) == 0;
    snprintf(file, sizeof(file), "%s/memory.limit_in_bytes", memory);
    CHECK(write_file(file, "209715200") == 0, "cannot set %s", file);
    if (have_cpu) {
        snprintf(file, sizeof(file), "%s/cpu.cfs_period_us", cpu);
        CHECK(write_file(file, "100000") == 0, "cannot set %s", file);
        snprintf(file, sizeof(file), "%s/cpu.cfs_quota_us", cpu);
        CHECK(write_file(file, "150000") == 0, "cannot set %s", file);
    }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int bad = 0;
        snprintf(file, sizeof(file), "%s/cgroup.procs", memory);
        bad |= write_file(file, "0") != 0;
        if (have_cpu) {
            snprintf(file, sizeof(file), "%s/cgroup.procs", cpu);
            bad |= write_file(file, "0") != 0;
        }
        if (bad) {
            fprintf(stderr, "FAILED: cannot join the test cgroups\n");
            _exit(1);
        }
        int state = svm_container_initialize(240100);
        uint64_t limit = svm_container_physical_memory();
        int processors = svm_container_active_processor_count();
        int expected = JVM_ActiveProcessorCount() < 2 ? JVM_ActiveProcessorCount() : 2;
        if (state != 1 || limit != 209715200ULL || (have_cpu && processors != expected)) {
            fprintf(stderr, "FAILED: in a 200 MiB, 1.5-CPU cgroup the helpers saw: containerized %d, memory %llu, processors %d (expected %d)\n",
                    state, (unsigned long long) limit, processors, expected);
            _exit(1);
        }
        printf("container limits: a 200 MiB, 1.5-CPU cgroup seen as %llu bytes, %d processors\n",
               (unsigned long long) limit, processors);
        fflush(stdout);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child in the test cgroups failed");
    rmdir(memory);
    if (have_cpu) {
        rmdir(cpu);
    }
}

static void jvm_and_files(void) {
    CHECK(getThreadId() == (int) syscall(SYS_gettid), "getThreadId");
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    CHECK(JVM_ActiveProcessorCount() >= 1 && JVM_ActiveProcessorCount() <= online, "JVM_ActiveProcessorCount %d", JVM_ActiveProcessorCount());
    jlong before = JVM_NanoTime(NULL, NULL);
    usleep(2000);
    CHECK(JVM_NanoTime(NULL, NULL) - before >= 2000000, "JVM_NanoTime did not advance 2 ms");
    void *monitor = JVM_RawMonitorCreate();
    CHECK(monitor != NULL && JVM_RawMonitorEnter(monitor) == 0 && JVM_RawMonitorEnter(monitor) == 0, "raw monitor is not reentrant");
    JVM_RawMonitorExit(monitor);
    JVM_RawMonitorExit(monitor);
    JVM_RawMonitorDestroy(monitor);
    char small[8];
    CHECK(jio_snprintf(small, sizeof(small), "%s", "too long for it") == -1 && strlen(small) == 7, "jio_snprintf truncation");
    CHECK(jio_snprintf(small, sizeof(small), "%d", 42) == 2 && strcmp(small, "42") == 0, "jio_snprintf");

    char path[] = "/tmp/piw-runtime-test-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    fd = openSII(path, O_CREAT | O_EXCL | O_WRONLY, 0640);
    CHECK(fd >= 0, "openSII could not create %s", path);
    struct stat status;
    CHECK(fd >= 0 && fstat(fd, &status) == 0 && (status.st_mode & 0777) == (0640 & ~umask(022)), "openSII mode");
    FILE *stream = fdopen(fd, "w");
    fprintfSD(stream, "Fatal error: %s (code %d)\n", "out of memory", 7);
    fclose(stream);
    char text[64] = "";
    stream = fopen(path, "r");
    CHECK(stream != NULL && fgets(text, sizeof(text), stream) != NULL && strcmp(text, "Fatal error: out of memory (code 7)\n") == 0,
          "fprintfSD wrote \"%s\"", text);
    if (stream != NULL) {
        fclose(stream);
    }
    unlink(path);
}

int main(void) {
    time_zones();
    locale();
    cpu_features();
    signals();
    container();
    container_limits();
    jvm_and_files();
    if (failures > 0) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("runtime helpers: all checks passed\n");
    return 0;
}
