// SPDX-License-Identifier: GPL-2.0
/*
 * Xen vCPUs: under PV a call-function IPI travels as an event on the
 * target's IPI port; in both modes a lock waiter sleeps in SCHEDOP_poll
 * on its kick port and the unlocker's kick raises that port, and an
 * event is run by the upcall of the vCPU Xen notifies, never by another
 * that scans the same word. Each wait is bounded by the TSC.
 */
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/cpumask.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include <proteus/string.h>
#include <xen/errno.h>
#include "../../../backends/xen/events.h"
#include "../../../backends/xen/xen.h"

static const char *not_xen(void)
{
	if (strncmp(pv_backend->name, "xen-", 4))
		return "not a Xen guest";
	return xen_events_off();
}

static void note_cpu(void *ran)
{
	__atomic_store_n((u32 *)ran, smp_processor_id() + 1, __ATOMIC_RELEASE);
}

/* PV: a call to another vCPU is one more event on its IPI port. */
SELFTEST(xen, ipi_is_an_event)
{
	int other = another_cpu(), port;
	struct cpumask one;
	u32 ran = 0;
	u64 before;

	if (not_xen())
		return skip(not_xen());
	if (other < 0)
		return skip("one vCPU online");
	port = xen_ipi_port((unsigned int)other);
	if (port < 0)
		return skip("PVH sends IPIs through Xen's emulated local APIC");
	one.bits = 1ULL << other;
	before = xen_evtchn_count((evtchn_port_t)port);
	smp_call_function_many(&one, note_cpu, &ran, true);
	EXPECT_EQ(__atomic_load_n(&ran, __ATOMIC_ACQUIRE), (u32)other + 1);
	EXPECT(xen_evtchn_count((evtchn_port_t)port) > before);
	return TEST_PASS;
}

static u8 kick_byte;
static u32 kick_woken;	/* 1 + whether the kick port was raised */

/*
 * Wait as the spinlock slow path does, then for the kick port to be
 * raised (a poll's timeout may end the wait before the kick is sent).
 */
static void wait_for_kick(void *unused)
{
	evtchn_port_t port = (evtchn_port_t)xen_kick_port(smp_processor_id());
	u64 end;

	while (READ_ONCE(kick_byte) == 1)
		pv_lock_wait(&kick_byte, 1);
	end = tsc_deadline(WAIT_NS);
	while (!xen_evtchn_pending(port) && !tsc_passed(end))
		cpu_relax();
	__atomic_store_n(&kick_woken, 1 + xen_evtchn_pending(port), __ATOMIC_RELEASE);
}

/*
 * A waiter sleeps in SCHEDOP_poll (its poll count moves) and stays
 * waiting; the kick raises its kick port, which is what ends a poll.
 */
SELFTEST(xen, lock_kick_raises_waiters_port)
{
	int other = another_cpu();
	struct cpumask one;
	u64 end, polls, kicks;

	if (not_xen())
		return skip(not_xen());
	if (other < 0)
		return skip("one vCPU online");
	if (xen_kick_port((unsigned int)other) < 0)
		return skip("the other vCPU has no kick port (see the boot log)");
	one.bits = 1ULL << other;
	kick_byte = 1;
	kick_woken = 0;
	polls = READ_ONCE(xen_lock_stats((unsigned int)other)->polls);
	kicks = xen_lock_stats(smp_processor_id())->kicks;
	smp_call_function_many(&one, wait_for_kick, NULL, false);
	end = tsc_deadline(WAIT_NS);
	while (READ_ONCE(xen_lock_stats((unsigned int)other)->polls) == polls)
		EXPECT(!tsc_passed(end));
	EXPECT_EQ(__atomic_load_n(&kick_woken, __ATOMIC_ACQUIRE), 0);
	__atomic_store_n(&kick_byte, 0, __ATOMIC_RELEASE);
	pv_lock_kick((unsigned int)other);
	EXPECT_EQ(xen_lock_stats(smp_processor_id())->kicks, kicks + 1);
	end = tsc_deadline(2 * WAIT_NS);
	while (!__atomic_load_n(&kick_woken, __ATOMIC_ACQUIRE))
		EXPECT(!tsc_passed(end));
	printk("# waiter polled %llu times\n",
	       (unsigned long long)(xen_lock_stats((unsigned int)other)->polls - polls));
	EXPECT_EQ(kick_woken, 2);
	return TEST_PASS;
}

static u8 masks[4];	/* own and vCPU 0's mask, after enable and after disable */

static void read_masks(void *unused)
{
	struct vcpu_info *own = xen_vcpu_info(), *boot = xen_vcpu_info_of(0);

	irq_enable();
	masks[0] = READ_ONCE(own->evtchn_upcall_mask);
	masks[1] = READ_ONCE(boot->evtchn_upcall_mask);
	irq_disable();
	masks[2] = READ_ONCE(own->evtchn_upcall_mask);
	masks[3] = READ_ONCE(boot->evtchn_upcall_mask);
}

/*
 * PV: each vCPU's irq flag ops work on its own vcpu_info's mask byte and
 * leave the boot vCPU's (waiting here, as we left it) alone.
 */
SELFTEST(xen, irq_flags_per_vcpu)
{
	int other = another_cpu();
	struct cpumask one;
	u8 boot;

	if (not_xen())
		return skip(not_xen());
	if (strcmp(pv_backend->name, "xen-pv"))
		return skip("PVH irq flags are the CPU's own IF");
	if (other < 0)
		return skip("one vCPU online");
	boot = READ_ONCE(xen_vcpu_info_of(0)->evtchn_upcall_mask);
	one.bits = 1ULL << other;
	memset(masks, 0xff, sizeof(masks));
	smp_call_function_many(&one, read_masks, NULL, true);
	EXPECT_EQ(masks[0], 0);
	EXPECT_EQ(masks[1], boot);
	EXPECT_EQ(masks[2], 1);
	EXPECT_EQ(masks[3], boot);
	return TEST_PASS;
}

/* Ports per word of the 2-level pending bitmap (a selector bit's worth). */
#define EVTCHN_WORD_BITS	(int)(sizeof(xen_ulong_t) * 8)

static int other_port = -1;
static u32 taken_on;	/* 1 + the vCPU whose upcall ran other_port */
static u32 holding;	/* the other vCPU holds its interrupts off */
static u32 let_go;

static void note_taken(evtchn_port_t port, struct pt_regs *regs)
{
	__atomic_store_n(&taken_on, smp_processor_id() + 1, __ATOMIC_RELEASE);
}

static void bind_ipi_here(void *unused)
{
	other_port = xen_evtchn_bind_ipi(note_taken);
	if (other_port >= 0)
		xen_evtchn_unmask((evtchn_port_t)other_port);
}

/* From a call (interrupts off) until let go, bounded by WAIT_NS. */
static void hold_interrupts_off(void *unused)
{
	u64 end = tsc_deadline(WAIT_NS);

	__atomic_store_n(&holding, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&let_go, __ATOMIC_ACQUIRE) && !tsc_passed(end))
		cpu_relax();
}

static bool wait_nonzero(const u32 *v)
{
	u64 end = tsc_deadline(WAIT_NS);

	while (!__atomic_load_n(v, __ATOMIC_ACQUIRE) && !tsc_passed(end))
		cpu_relax();
	return __atomic_load_n(v, __ATOMIC_ACQUIRE) != 0;
}

/*
 * The pending bitmap is the domain's: a port of another vCPU, raised
 * while that vCPU holds its interrupts off, is seen by this vCPU's upcall
 * (for its own timer) when both ports share a word. It must stay pending
 * for its own vCPU, whose upcall runs it once interrupts are back on.
 */
static enum test_result held_for_its_vcpu(int other)
{
	struct cpumask one = { .bits = 1ULL << other };
	u64 seen;

	__atomic_store_n(&taken_on, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&holding, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&let_go, 0, __ATOMIC_RELEASE);
	smp_call_function_many(&one, hold_interrupts_off, NULL, false);
	EXPECT(wait_nonzero(&holding));
	seen = timer_irq_count();
	EXPECT_EQ(xen_evtchn_send((evtchn_port_t)other_port), 0);
	EXPECT_EQ(timer_set_oneshot(10 * US), 0);
	EXPECT(timer_wait(seen, WAIT_NS));
	EXPECT_EQ(__atomic_load_n(&taken_on, __ATOMIC_ACQUIRE), 0);
	EXPECT(xen_evtchn_pending((evtchn_port_t)other_port));
	__atomic_store_n(&let_go, 1, __ATOMIC_RELEASE);
	EXPECT(wait_nonzero(&taken_on));
	EXPECT_EQ(__atomic_load_n(&taken_on, __ATOMIC_ACQUIRE), (u32)other + 1);
	return TEST_PASS;
}

SELFTEST(xen, event_runs_on_its_vcpu)
{
	int other = another_cpu(), own = xen_timer_port();
	struct cpumask one;
	enum test_result r;

	if (not_xen())
		return skip(not_xen());
	if (other < 0)
		return skip("one vCPU online");
	if (own < 0)
		return skip("no Xen timer on this vCPU");
	one.bits = 1ULL << other;
	other_port = -1;
	smp_call_function_many(&one, bind_ipi_here, NULL, true);
	EXPECT(other_port >= 0);
	printk("# vCPU %d's port %d, this vCPU's timer port %d\n", other, other_port, own);
	if (other_port / EVTCHN_WORD_BITS != own / EVTCHN_WORD_BITS) {
		xen_evtchn_close((evtchn_port_t)other_port);
		return skip("the two ports sit in different words of the pending bitmap");
	}
	r = held_for_its_vcpu(other);
	__atomic_store_n(&let_go, 1, __ATOMIC_RELEASE);
	xen_evtchn_close((evtchn_port_t)other_port);
	return r;
}

/*
 * PV: starting a vCPU Xen refuses leaves the CPU as it was. An id past
 * the domain's vCPUs: VCPUOP_initialise fails with -ENOENT (do_vcpu_op
 * finds no vCPU) and the CPU stays offline, its per-CPU area untouched.
 * With a second vCPU, one already running: -EEXIST (arch_initialise_vcpu
 * sees it initialised), and it stays online and still answers a call.
 */
SELFTEST(xen, refused_vcpu_left_as_it_was)
{
	unsigned int absent = pv_init.cpu_count(), online = nr_cpus_online();
	int other = another_cpu(), state;
	struct cpumask one;
	u32 ran = 0;
	u64 top;

	if (boot_info.path != BOOT_XEN_PV)
		return skip("not a Xen PV guest (PVH starts vCPUs with INIT-SIPI on Xen's emulated local APIC)");
	if (not_xen())
		return skip(not_xen());
	if (absent >= MAX_CPUS)
		return skip("every CPU number has a vCPU: no id past the domain's to ask for");
	state = per_cpu(absent)->boot_state;
	EXPECT_EQ(xen_pv_start_vcpu(absent), -XEN_ENOENT);
	EXPECT(!cpumask_test_cpu(absent, cpu_online_mask));
	EXPECT_EQ(nr_cpus_online(), online);
	EXPECT_EQ(per_cpu(absent)->boot_state, state);
	if (other < 0)
		return TEST_PASS;
	top = per_cpu(other)->stack_top;
	EXPECT_EQ(xen_pv_start_vcpu(other), -XEN_EEXIST);
	EXPECT(cpumask_test_cpu(other, cpu_online_mask));
	EXPECT_EQ(per_cpu(other)->stack_top, top);
	one.bits = 1ULL << other;
	smp_call_function_many(&one, note_cpu, &ran, true);
	EXPECT_EQ(__atomic_load_n(&ran, __ATOMIC_ACQUIRE), (u32)other + 1);
	return TEST_PASS;
}
