# SPDX-License-Identifier: ISC
# Private libvirtd instances for the collector's tests, sourced after
# lib.sh.  Each runs in a mount namespace of its own (unshare -m) with
# private bind mounts over /etc/libvirt, /run/libvirt, /var/lib/libvirt,
# /var/cache/libvirt and /var/log/libvirt, so two of them on one machine
# are two hypervisors: each has its own host_uuid (libvirt refuses to
# migrate to "the same host"), socket, domains and QEMU state.  The
# namespace, and with it every mount, goes away with the last process
# in it: virtd_stop_all kills the QEMU guests and libvirtd, by PID.
#
#   virtd_start NAME UUID   start one; sets VIRTD_URI (qemu+unix) and
#                           VIRTD_SOCK; its files are under $WORK/NAME
#   virtd_stop NAME         its guests, then libvirtd (its PID only)
#   virtd_stop_all          every one started; call from the EXIT trap
#   virtd_guest_pids NAME   PIDs of its QEMU guests (from their pid files)
#   virtd_usable            0 when libvirtd, virsh and mount namespaces
#                           are here (root, CAP_SYS_ADMIN)

VIRTD_NAMES=""

# (a container without CAP_SYS_ADMIN cannot make mount namespaces)
virtd_usable() {
	[ "$(id -u)" -eq 0 ] && command -v libvirtd >/dev/null &&
	    command -v virsh >/dev/null && command -v unshare >/dev/null &&
	    unshare -m --propagation private true 2>/dev/null
}

# Writes the configuration of instance $1 with host UUID $2.
virtd_config() {
	d="$WORK/$1"
	mkdir -p "$d/etc" "$d/run" "$d/lib/images" "$d/cache" "$d/log"
	cat > "$d/etc/libvirtd.conf" <<EOF
host_uuid = "$2"
unix_sock_dir = "/run/libvirt"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:stderr"
max_client_requests = 20
EOF
	# no cgroups, namespaces or confinement: these are test hosts
	cat > "$d/etc/qemu.conf" <<EOF
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
user = "root"
group = "root"
EOF
}

virtd_start() {
	name=$1
	d="$WORK/$name"
	virtd_config "$name" "$2"
	for m in /etc/libvirt /run/libvirt /var/lib/libvirt /var/cache/libvirt \
	    /var/log/libvirt; do
		[ -d "$m" ] || mkdir -p "$m"	# mount points only
	done
	# exec all the way down: $! is libvirtd's own PID
	unshare -m --propagation private sh -c "
mount --bind '$d/etc' /etc/libvirt &&
mount --bind '$d/run' /run/libvirt &&
mount --bind '$d/lib' /var/lib/libvirt &&
mount --bind '$d/cache' /var/cache/libvirt &&
mount --bind '$d/log' /var/log/libvirt &&
exec libvirtd --pid-file '$d/libvirtd.pid'" >>"$d/libvirtd.log" 2>&1 &
	pid=$!
	echo "$pid" > "$d/pid"
	PIDS="$PIDS $pid"
	VIRTD_NAMES="$VIRTD_NAMES $name"
	VIRTD_SOCK="$d/run/libvirt-sock"
	VIRTD_URI="qemu+unix:///system?socket=$VIRTD_SOCK"
	wait_for 20 virsh -q -c "$VIRTD_URI" version >/dev/null 2>&1 || {
		notok "libvirtd $name answers on $VIRTD_SOCK"
		tail -20 "$d/libvirtd.log"
		return 1
	}
}

# The PIDs of the QEMU processes of instance $1, checked against
# /proc so that a recycled PID is never killed.
virtd_guest_pids() {
	for f in "$WORK/$1"/run/qemu/*.pid; do
		[ -f "$f" ] || continue
		p=$(cat "$f" 2>/dev/null)
		[ -n "$p" ] && { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null |
		    grep -q "qemu-system" && echo "$p"
	done
}

virtd_stop() {
	for p in $(virtd_guest_pids "$1"); do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	f="$WORK/$1/pid"
	[ -f "$f" ] || return 0
	p=$(cat "$f")
	kill "$p" 2>/dev/null
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.3
	done
	kill -9 "$p" 2>/dev/null
	for p in $(virtd_guest_pids "$1"); do kill -9 "$p" 2>/dev/null; done
	rm -f "$f"
}

virtd_stop_all() {
	for n in $VIRTD_NAMES; do virtd_stop "$n"; done
}

# Whether any process still sees a mount of this test's files.
virtd_mounts_left() {
	grep -qs " $WORK/" /proc/[0-9]*/mountinfo
}

# stop_clean PID...: stops these daemons (SIGTERM, then waits up to
# 10 s each, SIGKILL after) and succeeds when they stopped by
# themselves and no log of this test has a sanitizer report.
stop_clean() {
	rc=0
	for p in "$@"; do
		kill "$p" 2>/dev/null || continue
		( sleep 10; kill -9 "$p" 2>/dev/null ) &
		k=$!
		wait "$p"
		st=$?
		kill "$k" 2>/dev/null
		wait "$k" 2>/dev/null
		[ "$st" -eq 0 ] || { rc=1; note "pid $p exited with status $st"; }
	done
	! grep -lE "ERROR: (Address|Leak)Sanitizer|runtime error:" \
	    "$WORK"/*.log >/dev/null 2>&1 && [ "$rc" -eq 0 ]
}
