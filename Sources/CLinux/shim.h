// Linux calls that Glibc's Swift module does not export. Each declaration or wrapper
// below says why it is here.
#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H

// No _GNU_SOURCE here: it would change structure definitions that Glibc's module also
// defines, and the two would clash. What needs it is declared below instead.
#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <pthread.h>
#include <spawn.h>
#include <unistd.h>

// accept4 is hidden behind _GNU_SOURCE in Glibc's module; it accepts with SOCK_NONBLOCK
// and SOCK_CLOEXEC in one call, so no descriptor leaks into a child between two calls.
int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

// errno is a macro over a thread-local location; reading it through a function keeps the
// read next to the failing call.
static inline int clinux_errno(void) { return errno; }

// The epoll_event union member Swift cannot name portably: store a 64-bit token.
static inline void clinux_epoll_event_set(struct epoll_event *event, uint32_t events, uint64_t token) {
    event->events = events;
    event->data.u64 = token;
}

// The 64-bit token of an epoll event.
static inline uint64_t clinux_epoll_event_token(const struct epoll_event *event) {
    return event->data.u64;
}

// pipe2 with O_CLOEXEC is declared only under _GNU_SOURCE.
int pipe2(int pipefd[2], int flags);

// pidfd_open has no Glibc wrapper before 2.36 and syscall() is variadic: a descriptor
// that becomes readable when the child exits lets the event loop reap it without SIGCHLD.
static inline int clinux_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

// posix_spawn_file_actions_addchdir_np is declared only under _GNU_SOURCE; it sets the
// child's working directory without a fork-time callback.
int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);

// pthread_setname_np is declared only under _GNU_SOURCE; named event-loop threads make
// backtraces and `top -H` readable.
int pthread_setname_np(pthread_t thread, const char *name);

// posix_spawn_file_actions_addclosefrom_np (glibc 2.34) is declared only under
// _GNU_SOURCE; it closes every descriptor from a number up in the child, so descriptors
// that other libraries in the process opened without close-on-exec never leak into it.
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

#endif
