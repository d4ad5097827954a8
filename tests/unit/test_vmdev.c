/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/vmdev.c: disks and interfaces from domain XML
 * (source kinds, formats, read-only media, MAC addresses, models, host
 * devices that exist and that do not, elements that only look alike),
 * libvirt states as VM-MIB states, and a whole read of libvirt's test
 * driver (test:///default, a real in-process connection): its domain,
 * vCPUs with affinity, disk and NIC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libvirt/virterror.h>

#include "vmdev.h"

static const char XML[] =
    "<domain type='kvm'><name>a</name><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/img/a.qcow2'/><backingStore type='file'>"
    "<source file='/img/base.qcow2'/></backingStore>"
    "<target dev='vda' bus='virtio'/></disk>"
    "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
    "<source file='/iso/x.iso'/><target dev='sda' bus='sata'/>"
    "<readonly/></disk>"
    "<disk type=\"block\" device=\"disk\"><source dev=\"/dev/vg/b\"/>"
    "<target dev=\"vdb\"/></disk>"
    "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
    "<source protocol='rbd' name='pool/img'><host name='mon'/></source>"
    "<target dev='vdc'/></disk>"
    "<disk type='volume' device='disk'><source pool='p' volume='v'/>"
    "<target dev='vdd'/></disk>"
    "<diskette/>"
    "<interface type='bridge'><mac address='52:54:00:ab:cd:ef'/>"
    "<source bridge='lo'/><target dev='lo'/><model type='virtio'/>"
    "</interface>"
    "<interface type='network'><mac address='52:54:00:00:00:02'/>"
    "<source network='default'/><target dev='no-such-tap9'/>"
    "<model type='e1000'/></interface>"
    "<interfacex/>"
    "</devices></domain>";

static void
test_parse_disks(void **state)
{
	struct vmmib_vm	 v;

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(vmdev_parse_xml(XML, &v), 0);
	assert_int_equal(v.ndisks, 5);
	assert_string_equal(v.disks[0].resource, "/img/a.qcow2");
	assert_int_equal(v.disks[0].source_type, 5);	/* sparse */
	assert_string_equal(v.disks[0].source_type_str, "file");
	assert_int_equal(v.disks[0].media, 3);		/* hardDisk */
	assert_false(v.disks[0].readonly);
	assert_int_equal(v.disks[0].defined_bytes, -1);
	assert_string_equal(v.disks[1].resource, "/iso/x.iso");
	assert_int_equal(v.disks[1].source_type, 4);	/* raw */
	assert_int_equal(v.disks[1].media, 4);		/* opticalDisk */
	assert_string_equal(v.disks[1].media_str, "cdrom");
	assert_true(v.disks[1].readonly);
	assert_string_equal(v.disks[2].resource, "/dev/vg/b");	/* "quotes" */
	assert_int_equal(v.disks[2].source_type, 3);	/* block */
	assert_string_equal(v.disks[3].resource, "rbd://pool/img");
	assert_int_equal(v.disks[3].source_type, 6);	/* network */
	assert_string_equal(v.disks[4].resource, "p/v");
	free(v.disks);
	free(v.nics);
}

static void
test_parse_nics(void **state)
{
	struct vmmib_vm	 v;
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0xab, 0xcd, 0xef };

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(vmdev_parse_xml(XML, &v), 0);
	assert_int_equal(v.nnics, 2);
	assert_memory_equal(v.nics[0].mac, mac, 6);
	assert_string_equal(v.nics[0].model, "virtio");
	assert_true(v.nics[0].ifindex > 0);		/* lo is on every host */
	assert_int_equal(v.nics[0].parent_ifindex, v.nics[0].ifindex);
	assert_string_equal(v.nics[1].model, "e1000");
	assert_int_equal(v.nics[1].ifindex, 0);		/* not on this host */
	assert_int_equal(v.nics[1].parent_ifindex, 0);
	assert_int_equal(v.nics[1].mac[5], 2);
	free(v.disks);
	free(v.nics);
}

static void
test_parse_none(void **state)
{
	struct vmmib_vm	 v;

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(vmdev_parse_xml("<domain><name>x</name></domain>", &v),
	    0);
	assert_int_equal(v.ndisks + v.nnics, 0);
	assert_null(v.disks);
	assert_null(v.nics);
}

static void
test_state(void **state)
{
	struct vmmib_vm	 v;

	(void)state;
	vmdev_state(&v, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION);
	assert_int_equal(v.oper, VMMIB_MIGRATING);
	vmdev_state(&v, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
	assert_int_equal(v.oper, VMMIB_PAUSED);
	assert_int_equal(v.admin, VMMIB_ADMIN_PAUSED);
	vmdev_state(&v, VIR_DOMAIN_SHUTOFF, 0);
	assert_int_equal(v.oper, VMMIB_SHUTDOWN);
	vmdev_state(&v, VIR_DOMAIN_CRASHED, 0);
	assert_int_equal(v.oper, VMMIB_CRASHED);
	vmdev_state(&v, VIR_DOMAIN_PMSUSPENDED, 0);
	assert_int_equal(v.oper, VMMIB_SUSPENDED);
	vmdev_state(&v, VIR_DOMAIN_BLOCKED, 0);
	assert_int_equal(v.oper, VMMIB_RUNNING);
}

static void
silent(void *arg, virErrorPtr e)
{
	(void)arg;
	(void)e;
}

/* The test driver's one domain, "test", as libvirt itself gives it. */
static void
test_read_test_driver(void **state)
{
	struct vmdev_snap	 s;
	virConnectPtr		 c;
	virDomainPtr		 d;
	virDomainInfo		 info;
	char			 err[256];
	const struct vmmib_vm	*v;

	(void)state;
	virSetErrorFunc(NULL, silent);
	assert_non_null(c = virConnectOpen("test:///default"));
	assert_non_null(d = virDomainLookupByName(c, "test"));
	assert_int_equal(virDomainGetInfo(d, &info), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(vmdev_read(c, &s, err, sizeof(err)), 1);
	v = &s.vms[0];
	assert_string_equal(v->name, "test");
	assert_string_equal(s.hv_software, "libvirt TEST");
	assert_true(s.host_cpus > 0);
	assert_int_equal(v->oper, VMMIB_RUNNING);
	assert_int_equal(v->cur_cpus, info.nrVirtCpu);
	assert_int_equal(v->ncpus, (size_t)info.nrVirtCpu);
	assert_true(v->cpus[0].has_affinity);
	assert_int_equal(v->cur_mem_kib, (int64_t)info.memory);
	assert_int_equal(v->ndisks, 1);
	assert_true(v->disks[0].defined_bytes > 0);
	assert_int_equal(v->nnics, 1);
	/* the domain shut off: still read, now without vCPUs */
	assert_int_equal(virDomainDestroy(d), 0);
	assert_int_equal(vmdev_read(c, &s, err, sizeof(err)), 1);
	assert_int_equal(s.vms[0].oper, VMMIB_SHUTDOWN);
	assert_int_equal(s.vms[0].ncpus, 0);
	vmdev_free(&s);
	virDomainFree(d);
	virConnectClose(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_disks),
		cmocka_unit_test(test_parse_nics),
		cmocka_unit_test(test_parse_none),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_read_test_driver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
