# SPDX-License-Identifier: ISC
# Tiny QEMU guests for the collector's tests, sourced after virtd.sh.
# Each boots a 512-byte boot sector the test writes itself (no disk
# image to download): "quiet" fills 512 KiB of low memory once, then
# writes "x" to the serial port every half second; "busy" rewrites
# that memory without end (a guest whose migration cannot converge at
# a low bandwidth) and writes "y" after each pass.  Both sources are
# 16-bit x86 assembled with GNU as; the bytes are below.
#
#   guest_image KIND FILE          write the boot sector
#   guest_xml NAME UUID IMAGE      the domain XML (KVM, or TCG without)
#   GUEST_TYPE                     kvm, or qemu when /dev/kvm is unusable

GUEST_QUIET=31c08ed88ed0bc007cbb00108ec331ffb90080b85aa5fcf3ab81c3001081fb009075e9fbbaf803b078eeb00aeeb486b90700ba20a1cd1526ff060000ebe6
GUEST_BUSY=fa31c08ed88ed0bc007c31d2fcbb00108ec331ffb9008089d0f3ab81c3001081fb009075eb4252baf803b079eeb00aee5aebda

# KVM when this process can open /dev/kvm and ask its API version.
kvm_usable() {
	python3 -c 'import fcntl, os, sys
try:
    fd = os.open("/dev/kvm", os.O_RDWR)
    sys.exit(0 if fcntl.ioctl(fd, 0xAE00) == 12 else 1)
except OSError:
    sys.exit(1)' 2>/dev/null
}
if kvm_usable; then GUEST_TYPE=kvm; else GUEST_TYPE=qemu; fi

guest_image() {
	case $1 in
	quiet) hex=$GUEST_QUIET ;;
	busy) hex=$GUEST_BUSY ;;
	esac
	python3 -c 'import sys
b = bytes.fromhex(sys.argv[1])
open(sys.argv[2], "wb").write(b + bytes(510 - len(b)) + b"\x55\xaa")' \
	    "$hex" "$2"
}

# The serial output is appended to $WORK/NAME.serial on whichever host
# runs the guest: it grows while the guest runs.
guest_xml() {
	cat <<EOF
<domain type='$GUEST_TYPE'>
  <name>$1</name>
  <uuid>$2</uuid>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$3'/>
      <target dev='hda' bus='ide'/>
    </disk>
    <serial type='file'>
      <source path='$WORK/$1.serial' append='on'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
    <video><model type='none'/></video>
  </devices>
</domain>
EOF
}

serial_size() { stat -c %s "$WORK/$1.serial" 2>/dev/null || echo 0; }

# guest_runs NAME: its serial output grows within 15 s (it writes
# twice a second once booted; a busy machine boots it slowly)
guest_runs() {
	s0=$(serial_size "$1")
	grown() { [ "$(serial_size "$1")" -gt "$s0" ]; }
	wait_for 15 grown "$1"
}
