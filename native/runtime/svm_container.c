/*
 * libsvm_container.a for a Substrate VM image (ContainerLibrary in the builder's sources jar): is
 * the process in a container, how much memory may it use, how many CPUs. The image sizes its
 * heap from svm_container_physical_memory, so in a pod with a 128Mi limit this is what keeps the
 * webhook inside it.
 *
 * cgroup v2 and v1 are read the way the kernel documents them: the process's cgroup from
 * /proc/self/cgroup, where the hierarchy is mounted from /proc/self/mountinfo, then the limit
 * files of that cgroup and each ancestor up to the mount, the lowest limit winning. Only the
 * three functions the image links are here.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VERSION 240100
#define SUCCESS_IS_NOT_CONTAINERIZED 0
#define SUCCESS_IS_CONTAINERIZED 1
#define ERROR_LIBCONTAINER_TOO_OLD 2
#define ERROR_LIBCONTAINER_TOO_NEW 3

/* cgroup v1 reports "no limit" as the largest page-aligned counter value. */
#define V1_UNLIMITED 0x7ffffffffffff000LL

typedef struct {
    char mount[PATH_MAX];   /* where this hierarchy is mounted */
    char path[PATH_MAX];    /* the process's cgroup directory below it */
    int found;
} hierarchy;

static int unified;                 /* cgroup v2 */
static int read_only;               /* a cgroup mount is read-only, as in a container */
static hierarchy memory, cpu;       /* with v2 both are the one hierarchy */

static int host_processors(void) {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_COUNT(&cpus) > 0) {
        return CPU_COUNT(&cpus);
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int) online : 1;
}

static uint64_t host_memory(void) {
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    return pages > 0 && page_size > 0 ? (uint64_t) pages * (uint64_t) page_size : 0;
}

static int has_word(const char *list, const char *word) {
    size_t length = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += length) {
        if ((p == list || p[-1] == ',') && (p[length] == ',' || p[length] == '\0' || p[length] == '\n' || p[length] == ' ')) {
            return 1;
        }
    }
    return 0;
}

/* The process's cgroup path in the hierarchy with this controller (v1), or the unified one (v2). */
static int cgroup_path(const char *controller, char *out, size_t size) {
    FILE *file = fopen("/proc/self/cgroup", "r");
    if (file == NULL) {
        return 0;
    }
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof(line), file) != NULL) {
        char *first = strchr(line, ':'), *second = first ? strchr(first + 1, ':') : NULL;
        if (second == NULL) {
            continue;
        }
        *first = '\0';
        *second = '\0';
        char *controllers = first + 1, *path = second + 1;
        path[strcspn(path, "\n")] = '\0';
        if ((controller == NULL && strcmp(line, "0") == 0 && *controllers == '\0') ||
            (controller != NULL && has_word(controllers, controller))) {
            snprintf(out, size, "%s", path);
            found = 1;
        }
    }
    fclose(file);
    return found;
}

/* Finds the mount of the v2 hierarchy (controller NULL) or of the v1 hierarchy with controller. */
static void locate(const char *controller, hierarchy *h) {
    FILE *file = fopen("/proc/self/mountinfo", "r");
    if (file == NULL) {
        return;
    }
    char line[8192];
    char root[PATH_MAX] = "", mount[PATH_MAX] = "";
    int found = 0;
    while (!found && fgets(line, sizeof(line), file) != NULL) {
        char mount_root[PATH_MAX], mount_point[PATH_MAX], options[1024];
        if (sscanf(line, "%*d %*d %*s %4095s %4095s %1023s", mount_root, mount_point, options) != 3) {
            continue;
        }
        char *separator = strstr(line, " - ");
        if (separator == NULL) {
            continue;
        }
        char type[64], source[PATH_MAX], super_options[4096] = "";
        if (sscanf(separator + 3, "%63s %4095s %4095s", type, source, super_options) < 2) {
            continue;
        }
        if ((controller == NULL && strcmp(type, "cgroup2") == 0) ||
            (controller != NULL && strcmp(type, "cgroup") == 0 && has_word(super_options, controller))) {
            snprintf(root, sizeof(root), "%s", mount_root);
            snprintf(mount, sizeof(mount), "%s", mount_point);
            read_only |= has_word(options, "ro");
            found = 1;
        }
    }
    fclose(file);
    char path[PATH_MAX];
    if (!found || !cgroup_path(controller, path, sizeof(path))) {
        return;
    }
    snprintf(h->mount, sizeof(h->mount), "%s", mount);
    size_t root_length = strlen(root);
    if (strcmp(root, "/") == 0) {
        snprintf(h->path, sizeof(h->path), "%s%s", mount, strcmp(path, "/") == 0 ? "" : path);
    } else if (strncmp(path, root, root_length) == 0 && (path[root_length] == '/' || path[root_length] == '\0')) {
        snprintf(h->path, sizeof(h->path), "%s%s", mount, path + root_length);
    } else {
        /* A cgroup namespace shows the mount's root as the process's own cgroup. */
        snprintf(h->path, sizeof(h->path), "%s", mount);
    }
    h->found = 1;
}

static int read_line(const char *directory, const char *name, char *out, size_t size) {
    char file_name[PATH_MAX + 64];
    snprintf(file_name, sizeof(file_name), "%s/%s", directory, name);
    FILE *file = fopen(file_name, "r");
    if (file == NULL) {
        return 0;
    }
    int ok = fgets(out, (int) size, file) != NULL;
    fclose(file);
    if (ok) {
        out[strcspn(out, "\n")] = '\0';
    }
    return ok;
}

/* The memory limit of one cgroup directory in bytes, or -1 for none. */
static long long memory_limit_at(const char *directory) {
    char value[128];
    if (unified) {
        if (!read_line(directory, "memory.max", value, sizeof(value)) || strcmp(value, "max") == 0) {
            return -1;
        }
        return strtoll(value, NULL, 10);
    }
    if (!read_line(directory, "memory.limit_in_bytes", value, sizeof(value))) {
        return -1;
    }
    long long limit = strtoll(value, NULL, 10);
    return limit <= 0 || limit >= V1_UNLIMITED ? -1 : limit;
}

/* The CPU limit of one cgroup directory as quota/period rounded up, or -1 for none. */
static long long cpu_limit_at(const char *directory) {
    char value[128];
    long long quota = -1, period = 0;
    if (unified) {
        char quota_text[64];
        if (!read_line(directory, "cpu.max", value, sizeof(value)) ||
            sscanf(value, "%63s %lld", quota_text, &period) != 2 || strcmp(quota_text, "max") == 0) {
            return -1;
        }
        quota = strtoll(quota_text, NULL, 10);
    } else {
        if (!read_line(directory, "cpu.cfs_quota_us", value, sizeof(value))) {
            return -1;
        }
        quota = strtoll(value, NULL, 10);
        if (quota <= 0 || !read_line(directory, "cpu.cfs_period_us", value, sizeof(value))) {
            return -1;
        }
        period = strtoll(value, NULL, 10);
    }
    if (quota <= 0 || period <= 0) {
        return -1;
    }
    return (quota + period - 1) / period;
}

/* Walks from the process's cgroup up to the mount; the lowest limit found, or -1. */
static long long lowest_limit(const hierarchy *h, long long (*limit_at)(const char *directory)) {
    if (!h->found) {
        return -1;
    }
    long long lowest = -1;
    char directory[PATH_MAX];
    snprintf(directory, sizeof(directory), "%s", h->path);
    size_t mount_length = strlen(h->mount);
    for (;;) {
        long long limit = limit_at(directory);
        if (limit > 0 && (lowest < 0 || limit < lowest)) {
            lowest = limit;
        }
        char *slash = strrchr(directory, '/');
        if (strlen(directory) <= mount_length || slash == NULL || (size_t) (slash - directory) < mount_length) {
            return lowest;
        }
        *slash = '\0';
    }
}

static long long memory_limit(void) {
    return lowest_limit(&memory, memory_limit_at);
}

static long long cpu_limit(void) {
    return lowest_limit(&cpu, cpu_limit_at);
}

int svm_container_initialize(int version) {
    if (version > VERSION) {
        return ERROR_LIBCONTAINER_TOO_OLD;
    }
    if (version < VERSION) {
        return ERROR_LIBCONTAINER_TOO_NEW;
    }
    /* A v1 memory controller wins: hybrid hosts also mount an empty v2 hierarchy. */
    locate("memory", &memory);
    locate("cpu", &cpu);
    if (!memory.found && !cpu.found) {
        locate(NULL, &memory);
        unified = memory.found;
        cpu = memory;
    }
    if (!memory.found && !cpu.found) {
        return SUCCESS_IS_NOT_CONTAINERIZED;
    }
    return read_only || memory_limit() > 0 || cpu_limit() > 0 ? SUCCESS_IS_CONTAINERIZED : SUCCESS_IS_NOT_CONTAINERIZED;
}

uint64_t svm_container_physical_memory(void) {
    uint64_t host = host_memory();
    long long limit = memory_limit();
    return limit > 0 && (host == 0 || (uint64_t) limit < host) ? (uint64_t) limit : host;
}

int svm_container_active_processor_count(void) {
    int host = host_processors();
    long long limit = cpu_limit();
    return limit > 0 && limit < host ? (int) limit : host;
}
