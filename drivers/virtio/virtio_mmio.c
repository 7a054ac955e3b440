// SPDX-License-Identifier: GPL-2.0
/*
 * Virtio over MMIO, version 2 (virtio 1.2, 4.2.2): a register block per
 * device, found from virtio_mmio.device= on the command line (QEMU's
 * microvm with acpi=off lists every slot it has; an empty slot reads
 * device ID 0 and is skipped quietly). The block is mapped with
 * map_mmio; a wrong magic or a version-1 (legacy) block gets a line.
 * Register offsets: linux/virtio_mmio.h.
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <linux/virtio_mmio.h>
#include <proteus/cmdline.h>
#include <proteus/io.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio.h>

#define VIRTIO_MMIO_MAGIC	0x74726976	/* "virt" */
#define VIRTIO_MMIO_MAX_DEVICES	32
/* The registers up to the device configuration. */
#define VIRTIO_MMIO_MIN_SIZE	VIRTIO_MMIO_CONFIG

struct virtio_mmio {
	struct virtio_device vd;
	struct virtio_mmio_desc desc;
	u8 *regs;
};

static struct virtio_mmio vmdevs[VIRTIO_MMIO_MAX_DEVICES];
static unsigned int nr_vmdevs;

static int param_device(const char *val)
{
	struct virtio_mmio_desc d;

	if (virtio_mmio_parse(val, &d))
		return -1;
	if (nr_vmdevs == VIRTIO_MMIO_MAX_DEVICES) {
		pr_warn("virtio: more than %u virtio_mmio.device= entries; %s ignored\n",
			VIRTIO_MMIO_MAX_DEVICES, val);
		return 0;
	}
	vmdevs[nr_vmdevs++].desc = d;
	return 0;
}
KERNEL_PARAM("virtio_mmio.device", param_device);

static struct virtio_mmio *to_vm(struct virtio_device *vd)
{
	return vd->priv;
}

static u32 rd(struct virtio_device *vd, u32 reg)
{
	return readl(to_vm(vd)->regs + reg);
}

static void wr(struct virtio_device *vd, u32 reg, u32 val)
{
	writel(val, to_vm(vd)->regs + reg);
}

static u8 vm_get_status(struct virtio_device *vd)
{
	return rd(vd, VIRTIO_MMIO_STATUS);
}

static void vm_set_status(struct virtio_device *vd, u8 status)
{
	wr(vd, VIRTIO_MMIO_STATUS, status);
}

static u64 vm_get_features(struct virtio_device *vd)
{
	u64 f;

	wr(vd, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	f = rd(vd, VIRTIO_MMIO_DEVICE_FEATURES);
	wr(vd, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	return f | (u64)rd(vd, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
}

static void vm_set_features(struct virtio_device *vd, u64 features)
{
	wr(vd, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(vd, VIRTIO_MMIO_DRIVER_FEATURES, (u32)features);
	wr(vd, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(vd, VIRTIO_MMIO_DRIVER_FEATURES, features >> 32);
}

/* A queue already marked ready counts as absent: the spec forbids reusing it. */
static u16 vm_queue_max(struct virtio_device *vd, unsigned int idx)
{
	u32 max;

	wr(vd, VIRTIO_MMIO_QUEUE_SEL, idx);
	if (rd(vd, VIRTIO_MMIO_QUEUE_READY))
		return 0;
	max = rd(vd, VIRTIO_MMIO_QUEUE_NUM_MAX);
	return max > 0xffff ? 0 : max;
}

static int vm_queue_enable(struct virtio_device *vd, unsigned int idx, u16 num,
			   u64 desc, u64 avail, u64 used)
{
	wr(vd, VIRTIO_MMIO_QUEUE_SEL, idx);
	wr(vd, VIRTIO_MMIO_QUEUE_NUM, num);
	wr(vd, VIRTIO_MMIO_QUEUE_DESC_LOW, (u32)desc);
	wr(vd, VIRTIO_MMIO_QUEUE_DESC_HIGH, desc >> 32);
	wr(vd, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (u32)avail);
	wr(vd, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, avail >> 32);
	wr(vd, VIRTIO_MMIO_QUEUE_USED_LOW, (u32)used);
	wr(vd, VIRTIO_MMIO_QUEUE_USED_HIGH, used >> 32);
	wr(vd, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

static void vm_notify(struct virtio_device *vd, unsigned int idx)
{
	wr(vd, VIRTIO_MMIO_QUEUE_NOTIFY, idx);
}

/* Aligned 32-bit words in one access, so the device never sees half a value. */
static int vm_set_config(struct virtio_device *vd, unsigned int offset, const void *buf,
			 unsigned int len)
{
	struct virtio_mmio *vm = to_vm(vd);
	u8 *cfg = vm->regs + VIRTIO_MMIO_CONFIG + offset;
	const u8 *src = buf;
	unsigned int i, step;
	u32 w;

	if ((u64)VIRTIO_MMIO_CONFIG + offset + len > vm->desc.size)
		return -1;
	for (i = 0; i < len; i += step) {
		step = (offset + i) % 4 == 0 && len - i >= 4 ? 4 : 1;
		if (step == 4) {
			memcpy(&w, src + i, 4);
			writel(w, cfg + i);
		} else {
			writeb(src[i], cfg + i);
		}
	}
	return 0;
}

static u32 vm_config_read(struct virtio_device *vd, unsigned int off,
			  unsigned int width)
{
	u8 *p = to_vm(vd)->regs + VIRTIO_MMIO_CONFIG + off;

	return width == 4 ? readl(p) : width == 2 ? readw(p) : readb(p);
}

static u32 vm_generation(struct virtio_device *vd)
{
	return rd(vd, VIRTIO_MMIO_CONFIG_GENERATION);
}

/* Acknowledge what InterruptStatus shows: the device lowers its line when none is left. */
static u8 vm_irq_status(struct virtio_device *vd)
{
	u32 status = rd(vd, VIRTIO_MMIO_INTERRUPT_STATUS);

	if (status)
		wr(vd, VIRTIO_MMIO_INTERRUPT_ACK, status);
	return status;
}

static const struct virtio_transport virtio_mmio_transport = {
	.get_status = vm_get_status,
	.set_status = vm_set_status,
	.get_features = vm_get_features,
	.set_features = vm_set_features,
	.queue_max = vm_queue_max,
	.queue_enable = vm_queue_enable,
	.notify = vm_notify,
	.set_config = vm_set_config,
	.config_read = vm_config_read,
	.generation = vm_generation,
	.irq_status = vm_irq_status,
};

/*
 * The IRQ of virtio_mmio.device=, as Linux takes it: the GSI of that
 * number. QEMU's virtio-mmio holds its line up while InterruptStatus is
 * not zero, so it is bound level-triggered, active high: an edge would be
 * lost if a new status bit came while the old one was being acknowledged.
 */
static void bind_irq(struct virtio_mmio *vm)
{
	char name[16];

	vm->vd.irq_offered = VIRTIO_IRQ_MMIO;
	snprintf(name, sizeof(name), "irq=%u", vm->desc.irq);
	virtio_irq_bind_line(&vm->vd, vm->desc.irq, DEVICE_IRQ_LEVEL, VIRTIO_IRQ_MMIO, name);
}

static void probe(struct virtio_mmio *vm)
{
	u32 magic, version;

	snprintf(vm->vd.name, sizeof(vm->vd.name), "mmio@%#llx",
		 (unsigned long long)vm->desc.base);
	vm->vd.mode = "mmio";
	vm->vd.priv = vm;
	if (vm->desc.size < VIRTIO_MMIO_MIN_SIZE) {
		pr_warn("virtio: %s: %#llx bytes, less than the %#x of the registers; ignored\n",
			vm->vd.name, (unsigned long long)vm->desc.size, VIRTIO_MMIO_MIN_SIZE);
		return;
	}
	vm->regs = map_mmio(vm->desc.base, vm->desc.size);
	if (!vm->regs) {
		pr_warn("virtio: %s: cannot map its registers; ignored\n", vm->vd.name);
		return;
	}
	magic = readl(vm->regs + VIRTIO_MMIO_MAGIC_VALUE);
	version = readl(vm->regs + VIRTIO_MMIO_VERSION);
	vm->vd.id = readl(vm->regs + VIRTIO_MMIO_DEVICE_ID);
	if (magic != VIRTIO_MMIO_MAGIC) {
		pr_warn("virtio: %s: magic %#x, not a virtio-mmio block; ignored\n",
			vm->vd.name, magic);
		return;
	}
	if (!vm->vd.id)
		return;
	virtio_register(&vm->vd);
	if (version != 2) {
		virtio_fail(&vm->vd, "version %u: only version 2 (non-legacy) is driven",
			    version);
		return;
	}
	vm->vd.t = &virtio_mmio_transport;
	vm->vd.config_len = MIN(vm->desc.size, 0x1000) - VIRTIO_MMIO_CONFIG;
	bind_irq(vm);
	virtio_probe_driver(&vm->vd);
}

void virtio_mmio_init(void)
{
	unsigned int i;

	for (i = 0; i < nr_vmdevs; i++)
		probe(&vmdevs[i]);
}
