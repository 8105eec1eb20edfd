/*
 * The C side of jdk.internal.misc.Signal in a Substrate VM image (CSunMiscSignal in the builder's
 * sources jar): a signal handler that counts each signal and posts a semaphore, and the calls the
 * image's signal dispatcher thread makes to wait for and take those signals. This is what runs
 * the webhook's SIGTERM handling (graceful shutdown) in the native executable.
 *
 * The handler uses only async-signal-safe operations: atomic increments and sem_post.
 */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>

static int claimed;            /* 1 while an isolate owns the mechanism */
static sem_t semaphore;
static int pending[NSIG];      /* signals received and not yet taken, per number */

int cSunMiscSignal_open(void) {
    int expected = 0;
    if (!__atomic_compare_exchange_n(&claimed, &expected, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        return 1;
    }
    for (int i = 0; i < NSIG; i++) {
        __atomic_store_n(&pending[i], 0, __ATOMIC_SEQ_CST);
    }
    if (sem_init(&semaphore, 0, 0) != 0) {
        __atomic_store_n(&claimed, 0, __ATOMIC_SEQ_CST);
        return -1;
    }
    return 0;
}

int cSunMiscSignal_close(void) {
    if (!__atomic_load_n(&claimed, __ATOMIC_SEQ_CST)) {
        return 0;
    }
    int status = sem_destroy(&semaphore) == 0 ? 0 : errno;
    __atomic_store_n(&claimed, 0, __ATOMIC_SEQ_CST);
    return status;
}

/* 0 when woken (possibly spuriously, by EINTR), errno otherwise. */
int cSunMiscSignal_awaitSemaphore(void) {
    if (sem_wait(&semaphore) == 0 || errno == EINTR) {
        return 0;
    }
    return errno;
}

int cSunMiscSignal_signalSemaphore(void) {
    return sem_post(&semaphore) == 0 ? 0 : errno;
}

int cSunMiscSignal_signalRangeCheck(int signal) {
    return signal > 0 && signal < NSIG;
}

/* The lowest signal number with a pending count, taking one from it; -1 if none is pending. */
int cSunMiscSignal_checkPendingSignal(void) {
    for (int signal = 1; signal < NSIG; signal++) {
        int count = __atomic_load_n(&pending[signal], __ATOMIC_SEQ_CST);
        while (count > 0) {
            if (__atomic_compare_exchange_n(&pending[signal], &count, count - 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
                return signal;
            }
        }
    }
    return -1;
}

static void count_signal(int signal) {
    int saved_errno = errno;
    if (signal > 0 && signal < NSIG) {
        __atomic_add_fetch(&pending[signal], 1, __ATOMIC_SEQ_CST);
        sem_post(&semaphore);
    }
    errno = saved_errno;
}

void (*cSunMiscSignal_signalHandlerFunctionPointer(void))(int) {
    return count_signal;
}
