/*
 * The image's `routereflector` command: runs the image's own Java runtime on the daemon's jar with the
 * JVM options of jvm.options (an argument file the java launcher reads itself), so `routereflector run`
 * is the entrypoint and `routereflector status` works in `docker exec` without a shell in the image.
 *
 * Port 179 as a non-root user: this file carries the file capability cap_net_bind_service (permitted
 * only). The capability is handed to the JVM as an ambient capability, the one kind that survives
 * exec() into a program without file capabilities, and nothing else is raised. Where the container
 * runs with no_new_privs (Kubernetes' allowPrivilegeEscalation: false) file capabilities do not apply;
 * then the JVM binds 179 only if the runtime granted the capability itself (podman's --cap-add does,
 * as an ambient capability) or the user is root.
 */
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define HOME "/opt/routereflector"

static void pass_on_bind_capability(void) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    const unsigned bit = 1u << CAP_NET_BIND_SERVICE; /* 10: in the first 32-bit word */
    if (syscall(SYS_capget, &header, data) != 0 || !(data[0].permitted & bit)) {
        return;
    }
    data[0].inheritable |= bit;
    if (syscall(SYS_capset, &header, data) == 0) {
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0);
    }
}

int main(int argc, char **argv) {
    char **args = calloc((size_t) argc + 4, sizeof *args);
    if (args == NULL) {
        perror("routereflector");
        return 127;
    }
    int n = 0;
    args[n++] = "java";
    args[n++] = "@" HOME "/jvm.options";
    args[n++] = "-jar";
    args[n++] = HOME "/routereflector.jar";
    for (int i = 1; i < argc; i++) {
        args[n++] = argv[i];
    }
    args[n] = NULL;
    pass_on_bind_capability();
    execv(HOME "/jre/bin/java", args);
    perror("routereflector: cannot run " HOME "/jre/bin/java");
    return 127;
}
