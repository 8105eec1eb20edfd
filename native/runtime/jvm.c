/*
 * libjvm.a for a Substrate VM executable: the HotSpot entry points (JVM_*, jio_*) that the JDK's
 * static libraries (libjava.a, libnio.a, libnet.a, ...) call, and the two the image calls itself
 * (com.oracle.svm.core.jdk.Jvm: initialize, JVM_ActiveProcessorCount).
 *
 * Written for this project from the declarations in the builder's sources jar and the JDK's
 * jvm.h; only what the linked libraries reference is here. The link step fails with the name of
 * any other JVM_* function that a future library version starts to call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* The image calls this so that the linker keeps this library on the command line. */
void initialize(void) {}

JNIEXPORT jint JNICALL JVM_ActiveProcessorCount(void) {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0) {
        int count = CPU_COUNT(&cpus);
        if (count > 0) {
            return count;
        }
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (jint) online : 1;
}

JNIEXPORT jlong JNICALL JVM_NanoTime(JNIEnv *env, jclass ignored) {
    (void) env;
    (void) ignored;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (jlong) now.tv_sec * 1000000000L + now.tv_nsec;
}

/* Runtime.halt and System.exit are substituted in the image; these stay for the JDK's callers. */
JNIEXPORT void JNICALL JVM_BeforeHalt(void) {}

JNIEXPORT void JNICALL JVM_Halt(jint code) {
    exit(code);
}

JNIEXPORT void *JNICALL JVM_FindLibraryEntry(void *handle, const char *name) {
    return dlsym(handle, name);
}

/* HotSpot's os::native_path is the identity on Linux. */
JNIEXPORT char *JNICALL JVM_NativePath(char *path) {
    return path;
}

/* java.lang.management is substituted in the image: no JMM interface, as the JDK's libraries accept. */
JNIEXPORT void *JNICALL JVM_GetManagement(jint version) {
    (void) version;
    return NULL;
}

/* Raw monitors: reentrant mutexes, as HotSpot's are. */
JNIEXPORT void *JNICALL JVM_RawMonitorCreate(void) {
    pthread_mutex_t *mutex = malloc(sizeof(pthread_mutex_t));
    if (mutex == NULL) {
        return NULL;
    }
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    int status = pthread_mutex_init(mutex, &attributes);
    pthread_mutexattr_destroy(&attributes);
    if (status != 0) {
        free(mutex);
        return NULL;
    }
    return mutex;
}

JNIEXPORT void JNICALL JVM_RawMonitorDestroy(void *monitor) {
    pthread_mutex_destroy(monitor);
    free(monitor);
}

JNIEXPORT jint JNICALL JVM_RawMonitorEnter(void *monitor) {
    return pthread_mutex_lock(monitor) == 0 ? 0 : -1;
}

JNIEXPORT void JNICALL JVM_RawMonitorExit(void *monitor) {
    pthread_mutex_unlock(monitor);
}

/* HotSpot's jio_* are vsnprintf/vfprintf that always terminate the buffer. */
JNIEXPORT int jio_vsnprintf(char *buffer, size_t count, const char *format, va_list args) {
    if ((intptr_t) count <= 0) {
        return -1;
    }
    int written = vsnprintf(buffer, count, format, args);
    return written >= 0 && (size_t) written < count ? written : -1;
}

JNIEXPORT int jio_snprintf(char *buffer, size_t count, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int written = jio_vsnprintf(buffer, count, format, args);
    va_end(args);
    return written;
}

JNIEXPORT int jio_vfprintf(FILE *stream, const char *format, va_list args) {
    return vfprintf(stream, format, args);
}

JNIEXPORT int jio_fprintf(FILE *stream, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int written = vfprintf(stream, format, args);
    va_end(args);
    return written;
}
