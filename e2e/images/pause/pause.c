/*
 * The sandbox ("pause") process of the e2e node's pods: it holds the pod's namespaces, reaps
 * whatever children it inherits, and exits on SIGINT or SIGTERM. Built static, alone in its image.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    if (getpid() != 1) {
        fprintf(stderr, "pause: warning: not running as pid 1\n");
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    for (;;) {
        int sig;
        if (sigwait(&set, &sig) != 0) {
            continue;
        }
        if (sig == SIGCHLD) {
            while (waitpid(-1, NULL, WNOHANG) > 0) {
            }
        } else {
            return 0;
        }
    }
}
