/*
 * liblibchelper.a for a Substrate VM executable on Linux: the small C functions the image calls
 * (@CLibrary("libchelper") in the builder's sources jar: LinuxLibCHelper, Fcntl, PosixVMThreads,
 * LibCHelper, LocaleCHelper). CPU features are in cpufeatures_amd64.c and the Java signal
 * handler mechanism in signals.c; all three go into the same archive.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "svm_locale.h"

int getThreadId(void) {
    return (int) syscall(SYS_gettid);
}

void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address) {
    return mremap(old_address, old_size, new_size, flags, new_address);
}

/* open(2) with exactly three arguments: the image cannot call a variadic function. */
int openSII(const char *pathname, int flags, int mode) {
    return open(pathname, flags, (mode_t) mode);
}

int fprintfSD(FILE *stream, const char *format, const char *s, int d) {
    return fprintf(stream, format, s, d);
}

/*
 * The time zone ID, newly allocated, or NULL for the JDK's default (GMT). The mappings argument
 * is the JDK's tzmappings file, which only Windows and AIX use. The order is the JDK's on Linux:
 * TZ, then /etc/timezone, then the target of the /etc/localtime link.
 */
static char *zone_from(const char *candidate) {
    if (candidate == NULL) {
        return NULL;
    }
    if (*candidate == ':') {
        candidate++;
    }
    const char *marker = strstr(candidate, "zoneinfo/");
    if (marker != NULL) {
        candidate = marker + strlen("zoneinfo/");
    }
    if (strncmp(candidate, "posix/", 6) == 0) {
        candidate += 6;
    } else if (strncmp(candidate, "right/", 6) == 0) {
        candidate += 6;
    }
    if (*candidate == '\0' || *candidate == '/') {
        return NULL;
    }
    return strdup(candidate);
}

char *SVM_FindJavaTZmd(const char *tz_mappings, int length) {
    (void) tz_mappings;
    (void) length;
    const char *tz = getenv("TZ");
    if (tz != NULL && *tz != '\0') {
        return zone_from(tz);
    }
    FILE *file = fopen("/etc/timezone", "r");
    if (file != NULL) {
        char line[256];
        char *zone = NULL;
        if (fgets(line, sizeof(line), file) != NULL) {
            line[strcspn(line, " \t\r\n")] = '\0';
            zone = zone_from(line);
        }
        fclose(file);
        if (zone != NULL) {
            return zone;
        }
    }
    char target[PATH_MAX];
    ssize_t length_read = readlink("/etc/localtime", target, sizeof(target) - 1);
    if (length_read > 0) {
        target[length_read] = '\0';
        return zone_from(target);
    }
    return NULL;
}

/*
 * The default locale, parsed as the JDK does from setlocale(): LC_MESSAGES for display, LC_CTYPE
 * for format; "C" and "POSIX" mean en_US, "C.UTF-8" en; "ll_CC.codeset@modifier", where a script modifier
 * (@latin, @cyrillic, @devanagari) becomes the script and other modifiers are dropped.
 */
static svm_locale_props_t locale_props;

static int parse_locale(int category, char **language, char **script, char **country, char **variant) {
    const char *current = setlocale(category, NULL);
    if (current == NULL || strcmp(current, "C") == 0 || strcmp(current, "POSIX") == 0) {
        current = "en_US";
    }
    char *copy = strdup(current);
    if (copy == NULL) {
        return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
    }
    char *modifier = strchr(copy, '@');
    if (modifier != NULL) {
        *modifier++ = '\0';
    }
    char *codeset = strchr(copy, '.');
    if (codeset != NULL) {
        *codeset = '\0';
    }
    char *territory = strchr(copy, '_');
    if (territory != NULL) {
        *territory++ = '\0';
    }
    for (char *c = copy; *c; c++) {
        *c = (char) tolower((unsigned char) *c);
    }
    /* "C.UTF-8", the usual container locale: the JDK's language table maps C and POSIX to en. */
    *language = strdup(strcmp(copy, "c") == 0 || strcmp(copy, "posix") == 0 ? "en" : copy);
    *country = NULL;
    if (territory != NULL && *territory != '\0') {
        for (char *c = territory; *c; c++) {
            *c = (char) toupper((unsigned char) *c);
        }
        *country = strdup(territory);
    }
    *script = NULL;
    *variant = NULL;
    if (modifier != NULL) {
        static const char *const scripts[][2] = {{"latin", "Latn"}, {"cyrillic", "Cyrl"}, {"devanagari", "Deva"}, {"iqtelif", "Latn"}};
        for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
            if (strcmp(modifier, scripts[i][0]) == 0) {
                *script = strdup(scripts[i][1]);
            }
        }
    }
    free(copy);
    if (*language == NULL || (territory != NULL && *territory != '\0' && *country == NULL)) {
        return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
    }
    return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

int svm_initialize_locale(void) {
    setlocale(LC_ALL, "");
    int status = parse_locale(LC_MESSAGES, &locale_props.display_language, &locale_props.display_script,
                              &locale_props.display_country, &locale_props.display_variant);
    if (status != SVM_LOCALE_INITIALIZATION_SUCCEEDED) {
        return status;
    }
    return parse_locale(LC_CTYPE, &locale_props.format_language, &locale_props.format_script,
                        &locale_props.format_country, &locale_props.format_variant);
}

svm_locale_props_t *svm_get_locale(void) {
    return &locale_props;
}
