// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/paravirt/insn.c: the bytes pv_build_site() writes for every
 * inline body x clobber class x site length (1-16) at a few site
 * addresses, for near and far implementations, pv_nop and a body-less
 * (C) implementation; pv_fill_nops() for 0-30 bytes; pv_build_indirect();
 * pv_site_holds_call(), which decides whether a site may be patched.
 * objdump disassembles the results: a site must decode as NOPs (a single
 * one for up to 11 bytes of padding), then exactly the body's
 * instructions or a call to the implementation, ending exactly at the end
 * of the site. pv_site_resume() must move a CPU stopped at each offset
 * inside a site back to its start exactly when only NOPs lie before it.
 *
 * The bodies are the real ones: backends/native/inline.S and
 * backends/xen/hypercall-insn.S assembled for the host (never run; their
 * privileged instructions are only bytes here), their .pv_bodies records
 * renamed to pv_bodies by build.mk so that ld provides __start_pv_bodies
 * and __stop_pv_bodies, as the kernel's linker script does. Each body is
 * also checked against the instructions it should hold, and its register
 * writes, read off the disassembly, against its declared clobber class.
 *
 * To keep the run short, sites are laid out in a few buffers, each loaded
 * at its own address and disassembled by one objdump run. Between sites
 * are at least 16 int3 bytes: an instruction is at most 15 bytes, so
 * however a site is broken, decoding is back in step at the next one. A
 * site's instructions are those starting inside it.
 *
 * objdump comes from $OBJDUMP, else "objdump" on the PATH; without it the
 * test fails.
 */
#include "unit.h"

#include <ctype.h>
#include <errno.h>
#include <unistd.h>

#include <asm/pv/patch.h>

/* Made by GNU ld for the renamed record section (see build.mk). */
extern const struct pv_body __start_pv_bodies[], __stop_pv_bodies[];

/* The implementations with bodies: only their bytes are read, never run. */
extern const u8 native_read_cr0[], native_write_cr0[], native_read_cr2[],
	native_read_cr3[], native_write_cr3[], native_read_cr4[],
	native_write_cr4[], native_wbinvd[], native_load_gdt[],
	native_load_idt[], native_load_tr[], native_io_delay[],
	native_save_fl[], native_restore_fl[], native_irq_disable[],
	native_irq_enable[], native_safe_halt[], native_halt[],
	native_set_pte[], native_flush_tlb_local[], native_flush_tlb_one[],
	native_pte_identity[], native_inb[], native_inw[], native_inl[],
	native_outb[], native_outw[], native_outl[],
	xen_hypercall_syscall[], hypercall_vmcall[],
	hypercall_vmmcall[];

/* General registers, as bits of a mask. */
enum { AX, CX, DX, BX, SP, BP, SI, DI, R8, R9, R10, R11, R12, R13, R14, R15,
       NR_GPRS };
#define REG(r)		(1u << (r))

/* What each clobber class lets a body write (asm/pv/site.h); flags aside. */
static const u32 class_regs[] = {
	[PV_CLOBBERS_NORMAL] = REG(AX) | REG(CX) | REG(DX) | REG(SI) | REG(DI) |
			       REG(R8) | REG(R9) | REG(R10) | REG(R11),
	[PV_CLOBBERS_RAX] = REG(AX),
	[PV_CLOBBERS_NONE] = 0,
};

static const char *const class_names[] = {
	[PV_CLOBBERS_NORMAL] = "NORMAL",
	[PV_CLOBBERS_RAX] = "RAX",
	[PV_CLOBBERS_NONE] = "NONE",
};

static const char *const kind_names[] = {
	[PV_SITE_INDIRECT] = "INDIRECT",
	[PV_SITE_INLINE] = "INLINE",
	[PV_SITE_DIRECT] = "DIRECT",
	[PV_SITE_NOP] = "NOP",
};

/*
 * Every body there should be: its instructions as objdump prints them
 * (blanks squeezed, "; " between instructions) and its clobber class.
 * site_regs: registers a body may write beyond its class (none today).
 */
struct body_spec {
	const char *name;
	const u8 *fn;
	unsigned int clobbers;
	const char *insns;
	u32 site_regs;
};

#define BODY(sym, cls, text)	{ #sym, sym, PV_CLOBBERS_##cls, text, 0 }

static const struct body_spec specs[] = {
	BODY(native_read_cr0, RAX, "mov %cr0,%rax"),
	BODY(native_write_cr0, NONE, "mov %rdi,%cr0"),
	BODY(native_read_cr2, RAX, "mov %cr2,%rax"),
	BODY(native_read_cr3, RAX, "mov %cr3,%rax"),
	BODY(native_write_cr3, NONE, "mov %rdi,%cr3"),
	BODY(native_read_cr4, RAX, "mov %cr4,%rax"),
	BODY(native_write_cr4, NONE, "mov %rdi,%cr4"),
	BODY(native_wbinvd, NONE, "wbinvd"),
	BODY(native_load_gdt, NONE, "lgdt (%rdi)"),
	BODY(native_load_idt, NONE, "lidt (%rdi)"),
	BODY(native_load_tr, NONE, "ltr %di"),
	BODY(native_io_delay, NONE, "out %al,$0x80"),
	BODY(native_save_fl, RAX, "pushf; pop %rax"),
	BODY(native_restore_fl, NONE, "push %rdi; popf"),
	BODY(native_irq_disable, NONE, "cli"),
	BODY(native_irq_enable, NONE, "sti"),
	BODY(native_safe_halt, NONE, "sti; hlt"),
	BODY(native_halt, NONE, "hlt"),
	BODY(native_set_pte, NONE, "mov %rsi,(%rdi)"),
	BODY(native_flush_tlb_local, RAX, "mov %cr3,%rax; mov %rax,%cr3"),
	BODY(native_flush_tlb_one, NONE, "invlpg (%rdi)"),
	BODY(native_pte_identity, RAX, "mov %rdi,%rax"),
	BODY(native_inb, NORMAL, "mov %edi,%edx; in (%dx),%al"),
	BODY(native_inw, NORMAL, "mov %edi,%edx; in (%dx),%ax"),
	BODY(native_inl, NORMAL, "mov %edi,%edx; in (%dx),%eax"),
	BODY(native_outb, NORMAL, "mov %edi,%eax; mov %esi,%edx; out %al,(%dx)"),
	BODY(native_outw, NORMAL, "mov %edi,%eax; mov %esi,%edx; out %ax,(%dx)"),
	BODY(native_outl, NORMAL, "mov %edi,%eax; mov %esi,%edx; out %eax,(%dx)"),
	BODY(xen_hypercall_syscall, NORMAL, "syscall"),
	BODY(hypercall_vmcall, NONE, "vmcall"),
	BODY(hypercall_vmmcall, NONE, "vmmcall"),
};

#define NR_BODIES	ARRAY_SIZE(specs)
#define MAX_BODY_INSNS	8

/* One instruction as objdump shows it. */
struct insn {
	u64 addr;
	unsigned int len;
	char text[96];		/* mnemonic and operands, blanks squeezed */
	char target[32];	/* objdump's "# 0x..." comment, if any */
};

struct listing {
	struct insn *v;
	size_t n, cap;
};

struct body {
	const struct body_spec *spec;
	const struct pv_body *rec;	/* its record; NULL if missing */
	struct insn insns[MAX_BODY_INSNS];
	int n;				/* instructions; -1 if not decoded */
};

static struct body bodies[NR_BODIES];

/* --- failure notes: a check passes if nothing was noted since the last --- */

#define NOTES_MAX	12

static struct {
	int count;
	char line[NOTES_MAX][256];
} notes;

__attribute__((format(printf, 1, 2)))
static void note(const char *fmt, ...)
{
	va_list ap;

	if (notes.count < NOTES_MAX) {
		va_start(ap, fmt);
		vsnprintf(notes.line[notes.count], sizeof(notes.line[0]), fmt,
			  ap);
		va_end(ap);
	}
	notes.count++;
}

static bool check_notes(const char *file, int line, const char *what)
{
	bool ok = unit_result(!notes.count, file, line, what);
	int i;

	for (i = 0; i < notes.count && i < NOTES_MAX; i++)
		printf("#   %s\n", notes.line[i]);
	if (notes.count > NOTES_MAX)
		printf("#   ... and %d more\n", notes.count - NOTES_MAX);
	notes.count = 0;
	return ok;
}

#define CHECK_NOTES(what)	check_notes(__FILE__, __LINE__, what)

/* --- objdump --- */

static const char *objdump(void)
{
	const char *s = getenv("OBJDUMP");

	return s && *s ? s : "objdump";
}

static bool have_objdump;

static void test_objdump_present(void)
{
	char cmd[256], line[256] = "";
	FILE *f;
	int status;

	unit_name(NULL);
	snprintf(cmd, sizeof(cmd), "%s --version 2>&1", objdump());
	f = popen(cmd, "r");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		while (fgetc(f) != EOF)
			;
		status = pclose(f);
		have_objdump = status == 0 && !strncmp(line, "GNU objdump", 11);
	}
	if (!unit_result(have_objdump, __FILE__, __LINE__,
			 "GNU objdump runs (the disassembly checks need it)")) {
		printf("#   '%s --version' did not run or is not GNU objdump\n",
		       objdump());
		unit_print_str("it said", line);
		printf("#   install binutils, or point $OBJDUMP at GNU objdump\n");
	}
}

/* Blanks squeezed, "# comment" split off, old spellings made current. */
static void set_text(struct insn *in, const char *s)
{
	static const char *const renames[][2] = {
		{ "pushfq", "pushf" }, { "popfq", "popf" },
		{ "callq", "call" }, { "retq", "ret" },
	};
	char buf[sizeof(in->text)];
	const char *hash = strchr(s, '#');
	size_t n = 0, i;

	for (; *s && s != hash && n + 1 < sizeof(buf); s++) {
		if (isspace((unsigned char)*s)) {
			if (n && buf[n - 1] != ' ')
				buf[n++] = ' ';
		} else {
			buf[n++] = *s;
		}
	}
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';

	in->target[0] = '\0';
	if (hash) {
		for (hash++; *hash == ' '; hash++)
			;
		for (n = 0; hash[n] && !isspace((unsigned char)hash[n]) &&
			    n + 1 < sizeof(in->target); n++)
			in->target[n] = hash[n];
		in->target[n] = '\0';
	}

	for (i = 0; i < ARRAY_SIZE(renames); i++) {
		size_t k = strlen(renames[i][0]);

		if (!strncmp(buf, renames[i][0], k) &&
		    (buf[k] == ' ' || !buf[k])) {
			snprintf(in->text, sizeof(in->text), "%s%s",
				 renames[i][1], buf + k);
			return;
		}
	}
	snprintf(in->text, sizeof(in->text), "%s", buf);
}

/*
 * One line of objdump's output: 1 for an instruction ("addr:<tab>bytes
 * <tab>text"), 0 for a header, -1 for anything else starting "addr:<tab>".
 */
static int parse_line(const char *s, struct insn *in)
{
	char *end;

	while (*s == ' ')
		s++;
	if (!isxdigit((unsigned char)*s))
		return 0;
	in->addr = strtoull(s, &end, 16);
	if (end[0] != ':' || end[1] != '\t')
		return 0;
	s = end + 2;
	in->len = 0;
	while (isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1])) {
		in->len++;
		for (s += 2; *s == ' '; s++)
			;
	}
	if (*s != '\t' || !in->len)
		return -1;
	set_text(in, s + 1);
	return 1;
}

/* objdump's reading of len bytes loaded at vma, in address order. */
static bool disassemble(const u8 *buf, size_t len, u64 vma,
			struct listing *l)
{
	const char *tmp = getenv("TMPDIR");
	char path[512], cmd[1024], line[1024];
	struct insn in;
	bool ok = true;
	FILE *f;
	int fd, status;

	l->n = 0;
	snprintf(path, sizeof(path), "%s/test_patcher.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		printf("# mkstemp %s: %s\n", path, strerror(errno));
		return false;
	}
	if (write(fd, buf, len) != (ssize_t)len) {
		printf("# writing %s: %s\n", path, strerror(errno));
		close(fd);
		unlink(path);
		return false;
	}
	close(fd);

	snprintf(cmd, sizeof(cmd),
		 "%s -D -z -b binary -m i386:x86-64 --insn-width=16 --adjust-vma=%#llx '%s' 2>&1",
		 objdump(), vma, path);
	f = popen(cmd, "r");
	if (!f) {
		printf("# popen %s: %s\n", cmd, strerror(errno));
		unlink(path);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		int r = parse_line(line, &in);

		if (!strchr(line, '\n') || r < 0) {
			if (ok)
				unit_print_str("objdump printed", line);
			ok = false;
		}
		if (r <= 0 || !ok)
			continue;
		if (l->n && in.addr < l->v[l->n - 1].addr + l->v[l->n - 1].len) {
			printf("# objdump went back to %#llx\n", in.addr);
			ok = false;
			continue;
		}
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 1024;
			l->v = realloc(l->v, l->cap * sizeof(*l->v));
			if (!l->v) {
				perror("realloc");
				exit(EXIT_FAILURE);
			}
		}
		l->v[l->n++] = in;
	}
	status = pclose(f);
	unlink(path);
	if (status != 0) {
		printf("# '%s' failed (status %#x)\n", cmd, status);
		ok = false;
	}
	return ok;
}

/* The instructions starting in [addr, addr + len): the first and how many. */
static size_t region(const struct listing *l, u64 addr, unsigned int len,
		     const struct insn **first)
{
	size_t lo = 0, hi = l->n, n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = l->v + lo;
	for (n = 0; lo + n < l->n && l->v[lo + n].addr - addr < len; n++)
		;
	return n;
}

/* Whether the n instructions exactly cover [addr, addr + len). */
static bool covers(const struct insn *v, size_t n, u64 addr, unsigned int len)
{
	if (!n)
		return !len;
	return v[0].addr == addr &&
	       v[n - 1].addr + v[n - 1].len == addr + len;
}

static void note_insns(const char *what, const struct insn *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		note("  %s %#llx: [%u] %s%s%s", what, v[i].addr, v[i].len,
		     v[i].text, v[i].target[0] ? " # " : "", v[i].target);
}

/* A NOP as objdump names it, segment and operand-size prefixes allowed. */
static bool is_nop(const char *s)
{
	static const char *const prefixes[] = { "data16 ", "cs ", "ds " };
	bool more = true;
	size_t i;

	while (more) {
		more = false;
		for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
			size_t k = strlen(prefixes[i]);

			if (!strncmp(s, prefixes[i], k)) {
				s += k;
				more = true;
			}
		}
	}
	return !strcmp(s, "nop") || !strncmp(s, "nopw ", 5) ||
	       !strncmp(s, "nopl ", 5) || !strcmp(s, "xchg %ax,%ax");
}

/* n instructions that must be NOPs filling pad bytes, as few as can. */
static bool padding_ok(const struct insn *v, size_t n, unsigned int pad)
{
	size_t i;

	if (n != (pad + 10) / 11)
		return false;
	for (i = 0; i < n; i++) {
		if (!is_nop(v[i].text))
			return false;
	}
	return true;
}

/* --- a buffer of sites, disassembled at once --- */

#define SEP_MIN		16	/* int3 bytes between sites */
#define GUARD		8	/* bytes after a site's buffer that stay as they were */
#define CANARY		0xa5

struct site {
	const char *impl;		/* for messages */
	const struct body *body;	/* the implementation's, or NULL */
	bool is_nop;
	u64 addr, fn;
	unsigned int len, clobbers;
	enum pv_site_kind want, got;
	struct pv_impl pimpl;		/* what pv_build_site was given */
	u8 out[PV_MAX_SITE_LEN + 1 + GUARD];
};

struct blob {
	u64 vma;
	u8 *buf;
	size_t len, cap;
	struct site *sites;
	size_t nsites, cap_sites;
	struct listing l;
	bool decoded;
};

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? 2 * *cap : 4096;
	p = realloc(p, *cap * size);
	if (!p) {
		perror("realloc");
		exit(EXIT_FAILURE);
	}
	return p;
}

static void blob_init(struct blob *b, u64 vma)
{
	memset(b, 0, sizeof(*b));
	b->vma = vma;
}

static void blob_free(struct blob *b)
{
	free(b->buf);
	free(b->sites);
	free(b->l.v);
}

/* Where the next bytes land. */
static u64 blob_next(const struct blob *b)
{
	return b->vma + b->len;
}

/* Append bytes and int3s after them; separators vary so sites' alignment does. */
static void blob_put(struct blob *b, const u8 *bytes, unsigned int n)
{
	unsigned int sep = SEP_MIN + b->nsites % 7;

	b->buf = grow(b->buf, &b->cap, b->len + n + sep, 1);
	memcpy(b->buf + b->len, bytes, n);
	memset(b->buf + b->len + n, 0xcc, sep);
	b->len += n + sep;
}

/* Without objdump only its own check fails; a failed run fails here. */
static bool blob_decode(struct blob *b)
{
	if (!have_objdump)
		return false;
	b->decoded = disassemble(b->buf, b->len, b->vma, &b->l);
	if (!unit_result(b->decoded, __FILE__, __LINE__,
			 "objdump disassembles the buffer"))
		printf("#   %zu bytes at %#llx\n", b->len, b->vma);
	return b->decoded;
}

/* --- the bodies --- */

static const struct body_spec *spec_of(u64 fn)
{
	size_t i;

	for (i = 0; i < NR_BODIES; i++) {
		if ((u64)(uintptr_t)specs[i].fn == fn)
			return &specs[i];
	}
	return NULL;
}

static void test_records(void)
{
	const struct pv_body *r;
	size_t i, records = __stop_pv_bodies - __start_pv_bodies;
	size_t known = NR_BODIES;

	unit_name(NULL);
	CHECK_EQ(records, known);
	for (r = __start_pv_bodies; r < __stop_pv_bodies; r++) {
		const struct body_spec *s = spec_of(r->fn);

		if (!s) {
			note("a record for %#llx, which is no known body: add it to specs[]",
			     r->fn);
			continue;
		}
		if (bodies[s - specs].rec)
			note("%s has two records", s->name);
		bodies[s - specs].rec = r;
	}
	CHECK_NOTES("every record is a known body's, once");

	for (i = 0; i < NR_BODIES; i++) {
		const struct body_spec *s = &specs[i];
		struct body *b = &bodies[i];

		b->spec = s;
		b->n = -1;
		unit_name("body %s", s->name);
		if (!unit_result(b->rec, __FILE__, __LINE__, "has a record"))
			continue;
		CHECK_EQ(b->rec->clobbers, s->clobbers);
		/* Longer than a site, it would never be inlined. */
		CHECK(b->rec->len >= 1 && b->rec->len <= PV_SITE_LEN);
		/* The body is the function up to its ret. */
		CHECK_EQ(s->fn[b->rec->len], 0xc3);
		CHECK(b->rec->insns >= 1 && b->rec->insns <= b->rec->len);
		CHECK(!memcmp(b->rec->reserved, "\0\0\0\0\0", 5));
	}
	unit_name(NULL);
}

/* Split "mnemonic op,op" (operands may hold commas in parentheses). */
static int split_insn(const char *text, char *mn, size_t mn_size,
		      char ops[][48], int max_ops)
{
	int n = 0, depth = 0;
	size_t k = 0;

	while (*text && *text != ' ' && k + 1 < mn_size)
		mn[k++] = *text++;
	mn[k] = '\0';
	if (*text == ' ')
		text++;
	if (!*text)
		return 0;
	k = 0;
	for (; n < max_ops; text++) {
		if (!*text || (*text == ',' && !depth)) {
			ops[n++][k] = '\0';
			k = 0;
			if (!*text)
				break;
			continue;
		}
		depth += (*text == '(') - (*text == ')');
		if (k + 1 < 48)
			ops[n][k++] = *text;
	}
	return n;
}

/* The general register an operand names ("%eax" is rax), or -1. */
static int gpr(const char *op)
{
	static const char *const names[NR_GPRS][5] = {
		[AX] = { "rax", "eax", "ax", "al", "ah" },
		[CX] = { "rcx", "ecx", "cx", "cl", "ch" },
		[DX] = { "rdx", "edx", "dx", "dl", "dh" },
		[BX] = { "rbx", "ebx", "bx", "bl", "bh" },
		[SP] = { "rsp", "esp", "sp", "spl" },
		[BP] = { "rbp", "ebp", "bp", "bpl" },
		[SI] = { "rsi", "esi", "si", "sil" },
		[DI] = { "rdi", "edi", "di", "dil" },
		[R8] = { "r8", "r8d", "r8w", "r8b" },
		[R9] = { "r9", "r9d", "r9w", "r9b" },
		[R10] = { "r10", "r10d", "r10w", "r10b" },
		[R11] = { "r11", "r11d", "r11w", "r11b" },
		[R12] = { "r12", "r12d", "r12w", "r12b" },
		[R13] = { "r13", "r13d", "r13w", "r13b" },
		[R14] = { "r14", "r14d", "r14w", "r14b" },
		[R15] = { "r15", "r15d", "r15w", "r15b" },
	};
	int r, i;

	if (op[0] != '%')
		return -1;
	for (r = 0; r < NR_GPRS; r++) {
		for (i = 0; i < 5 && names[r][i]; i++) {
			if (!strcmp(op + 1, names[r][i]))
				return r;
		}
	}
	return -1;
}

enum { READS, WRITES_LAST, WRITES_ALL };

/* What the clobber analysis knows of an instruction. */
static const struct mnemonic {
	const char *name;
	u8 explicit;	/* which explicit register operands it writes */
	s8 stack;	/* quadwords it pushes (+) or pops (-) */
	u32 implicit;	/* registers it writes implicitly (rsp for push/pop aside) */
} mnemonics[] = {
#define W(name)		{ name, WRITES_LAST, 0, 0 }
#define R(name)		{ name, READS, 0, 0 }
	W("mov"), W("movabs"), W("movzbl"), W("movzwl"), W("movslq"),
	W("lea"), W("add"), W("sub"), W("and"), W("or"), W("xor"),
	W("inc"), W("dec"), W("neg"), W("not"), W("shl"), W("shr"),
	W("sar"), W("in"), R("cmp"), R("test"), R("out"),
	{ "xchg", WRITES_ALL, 0, 0 },
	{ "push", READS, 1, 0 }, { "pushf", READS, 1, 0 },
	{ "pop", WRITES_LAST, -1, 0 }, { "popf", READS, -1, 0 },
	R("cli"), R("sti"), R("hlt"), R("wbinvd"), R("invlpg"), R("lgdt"),
	R("lidt"), R("ltr"), R("lldt"), R("wrmsr"), R("swapgs"), R("pause"),
	R("vmcall"), R("vmmcall"),
	{ "syscall", READS, 0, REG(CX) | REG(R11) },
	{ "cpuid", READS, 0, REG(AX) | REG(BX) | REG(CX) | REG(DX) },
	{ "rdmsr", READS, 0, REG(AX) | REG(DX) },
	{ "rdtsc", READS, 0, REG(AX) | REG(DX) },
	{ "rdtscp", READS, 0, REG(AX) | REG(CX) | REG(DX) },
#undef W
#undef R
};

/*
 * The general registers the instructions write, rsp only if the stack
 * does not end where it started. Notes what it cannot tell.
 */
static u32 gpr_writes(const char *name, const struct insn *v, int n)
{
	u32 w = 0;
	int i, depth = 0;

	for (i = 0; i < n; i++) {
		const struct mnemonic *m = NULL;
		char mn[32], ops[3][48];
		int nops = split_insn(v[i].text, mn, sizeof(mn), ops, 3), j;
		size_t k;

		for (k = 0; k < ARRAY_SIZE(mnemonics); k++) {
			if (!strcmp(mn, mnemonics[k].name))
				m = &mnemonics[k];
		}
		if (!m) {
			note("%s: the clobber analysis does not know '%s': teach it",
			     name, v[i].text);
			w |= ~0u;
			continue;
		}
		w |= m->implicit;
		depth += m->stack;
		if (depth < 0)
			note("%s: '%s' pops what the body did not push", name,
			     v[i].text);
		for (j = 0; j < nops; j++) {
			int r = gpr(ops[j]);

			if (r < 0)
				continue;
			if (m->explicit == WRITES_ALL ||
			    (m->explicit == WRITES_LAST && j == nops - 1))
				w |= REG(r);
		}
	}
	if (depth)
		w |= REG(SP);
	return w;
}

static void note_regs(const char *label, u32 regs)
{
	static const char *const names[NR_GPRS] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	char buf[160] = "";
	size_t n = 0;
	int r;

	for (r = 0; r < NR_GPRS; r++) {
		if (regs & REG(r))
			n += snprintf(buf + n, sizeof(buf) - n, " %s", names[r]);
	}
	note("%s:%s", label, n ? buf : " none");
}

/* The narrowest class that lets a body write regs; -1 if none does. */
static int narrowest_class(u32 regs)
{
	int c;

	for (c = PV_CLOBBERS_NONE; c >= PV_CLOBBERS_NORMAL; c--) {
		if (!(regs & ~class_regs[c]))
			return c;
	}
	return -1;
}

/*
 * A body is copied into sites: it must not return, call, or branch or
 * refer to anything outside itself.
 */
static void note_position_dependent(const struct body *b, u64 start,
				    unsigned int len)
{
	int i;

	for (i = 0; i < b->n; i++) {
		const char *t = b->insns[i].text;
		char mn[32], ops[3][48];
		int nops = split_insn(t, mn, sizeof(mn), ops, 3);
		u64 target;

		if (strstr(t, "%rip"))
			note("'%s' is rip-relative", t);
		if (!strncmp(mn, "ret", 3) || !strncmp(mn, "iret", 4) ||
		    !strncmp(mn, "sysret", 6) || !strncmp(mn, "call", 4))
			note("'%s' leaves the body", t);
		if (mn[0] != 'j' && strncmp(mn, "loop", 4))
			continue;
		target = nops == 1 ? strtoull(ops[0], NULL, 16) : 0;
		if (nops != 1 || ops[0][0] != '0' || target < start ||
		    target > start + len)
			note("'%s' branches out of the body", t);
	}
}

static void test_bodies(void)
{
	struct blob blob;
	u64 at[NR_BODIES] = { 0 };
	size_t i;

	blob_init(&blob, 0x1000);
	for (i = 0; i < NR_BODIES; i++) {
		if (!bodies[i].rec)
			continue;
		at[i] = blob_next(&blob);
		blob_put(&blob, bodies[i].spec->fn, bodies[i].rec->len);
	}
	blob_decode(&blob);

	for (i = 0; i < NR_BODIES; i++) {
		struct body *b = &bodies[i];
		const struct body_spec *s = b->spec;
		const struct insn *v;
		char text[256] = "";
		size_t n, k, used = 0;
		unsigned int cls;
		u32 w;
		int narrow;

		if (!b->rec || !blob.decoded)
			continue;
		unit_name("body %s", s->name);
		n = region(&blob.l, at[i], b->rec->len, &v);
		if (!covers(v, n, at[i], b->rec->len) || n > MAX_BODY_INSNS) {
			note("%u bytes do not decode as whole instructions",
			     b->rec->len);
			note_insns("got", v, n);
			CHECK_NOTES("decodes as whole instructions");
			continue;
		}
		CHECK_NOTES("decodes as whole instructions");
		memcpy(b->insns, v, n * sizeof(*v));
		b->n = (int)n;

		for (k = 0; k < n; k++)
			used += snprintf(text + used, sizeof(text) - used, "%s%s",
					 k ? "; " : "", v[k].text);
		CHECK_STR(text, s->insns);
		/* Re-patching inlines only bodies of one instruction. */
		CHECK_EQ(b->rec->insns, (unsigned int)n);

		note_position_dependent(b, at[i], b->rec->len);
		CHECK_NOTES("can be copied: no ret, call, branch out, or rip-relative operand");

		/*
		 * Against the class the record declares, which is what the
		 * patcher goes by. Flags are every class's to clobber: only
		 * registers count.
		 */
		cls = b->rec->clobbers <= PV_CLOBBERS_NONE ? b->rec->clobbers :
		      PV_CLOBBERS_NORMAL;
		w = gpr_writes(s->name, b->insns, b->n);
		if (w & ~(class_regs[cls] | s->site_regs)) {
			note("declared %s", class_names[cls]);
			note_regs("writes", w);
			note_regs("beyond the class",
				  w & ~(class_regs[cls] | s->site_regs));
		}
		CHECK_NOTES("writes no register its clobber class keeps");

		/* A wider class than needed only loses inline sites. */
		narrow = narrowest_class(w & ~s->site_regs);
		if (narrow > (int)cls)
			note("declared %s, but %s would hold its writes",
			     class_names[cls], class_names[narrow]);
		CHECK_NOTES("clobber class is no wider than its writes need");
	}
	unit_name(NULL);
	blob_free(&blob);
}

/* --- pv_fill_nops --- */

static void test_fill_nops(void)
{
	u8 buf[32 + GUARD];
	struct blob blob;
	u64 at[31];
	unsigned int len, i;

	unit_name("pv_fill_nops");
	blob_init(&blob, 0xffffffff81000000ull);
	for (len = 0; len <= 30; len++) {
		memset(buf, CANARY, sizeof(buf));
		pv_fill_nops(buf, len);
		for (i = len; i < sizeof(buf); i++) {
			if (buf[i] != CANARY) {
				note("%u bytes: wrote byte %u", len, i);
				break;
			}
		}
		at[len] = blob_next(&blob);
		blob_put(&blob, buf, len);
	}
	CHECK_NOTES("writes only the bytes asked for");
	if (!blob_decode(&blob)) {
		unit_name(NULL);
		blob_free(&blob);
		return;
	}
	for (len = 0; len <= 30; len++) {
		const struct insn *v;
		size_t n = region(&blob.l, at[len], len, &v);

		unit_name("pv_fill_nops %u bytes", len);
		if (!covers(v, n, at[len], len) || !padding_ok(v, n, len)) {
			note("expected %u NOP%s exactly covering %u bytes",
			     (len + 10) / 11, (len + 10) / 11 == 1 ? "" : "s",
			     len);
			note_insns("got", v, n);
		}
		CHECK_NOTES(len <= 11 ? "decodes as one NOP" :
			    "decodes as the fewest whole NOPs");
	}
	unit_name(NULL);
	blob_free(&blob);
}

/* --- pv_build_site --- */

/* The kind a site should become: the rules of asm/pv/patch.h. */
static enum pv_site_kind expected_kind(const struct site *s,
				       const struct pv_impl *impl)
{
	/* rel32 reaches [next insn - 2^31, next insn + 2^31). */
	bool reach = s->fn - (s->addr + s->len) + 0x80000000ull < 0x100000000ull;

	if (s->len > PV_MAX_SITE_LEN)
		return PV_SITE_INDIRECT;
	if (impl->is_nop)
		return PV_SITE_NOP;
	if (impl->body && impl->body_len <= s->len &&
	    impl->body_clobbers >= s->clobbers)
		return PV_SITE_INLINE;
	if (s->len >= 5 && reach)
		return PV_SITE_DIRECT;
	return PV_SITE_INDIRECT;
}

/* Build one site at the blob's next address; keep its bytes if patched. */
static void add_site(struct blob *b, const char *impl_name,
		     const struct body *body, bool is_nop, u64 fn,
		     unsigned int len, unsigned int clobbers)
{
	struct pv_impl impl = { .fn = fn, .is_nop = is_nop };
	struct site *s;

	b->sites = grow(b->sites, &b->cap_sites, b->nsites + 1, sizeof(*s));
	s = &b->sites[b->nsites];
	memset(s, 0, sizeof(*s));
	s->impl = impl_name;
	s->body = body;
	s->is_nop = is_nop;
	s->addr = blob_next(b);
	s->fn = fn;
	s->len = len;
	s->clobbers = clobbers;
	if (body) {
		impl.body = (const u8 *)(uintptr_t)body->rec->fn;
		impl.body_len = body->rec->len;
		impl.body_clobbers = body->rec->clobbers;
		impl.body_insns = body->rec->insns;
	}
	s->pimpl = impl;
	s->want = expected_kind(s, &impl);
	memset(s->out, CANARY, sizeof(s->out));
	s->got = pv_build_site(s->out, s->addr, len, clobbers, &impl);
	if (s->got != PV_SITE_INDIRECT && len <= PV_MAX_SITE_LEN)
		blob_put(b, s->out, len);
	b->nsites++;
}

static const char *site_desc(const struct site *s)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "%s at %#llx len %u class %s fn %#llx",
		 s->impl, s->addr, s->len, class_names[s->clobbers], s->fn);
	return buf;
}

static u32 get_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static void note_kind(const struct site *s)
{
	if (s->got != s->want)
		note("%s: %s, expected %s", site_desc(s),
		     s->got < PV_SITE_KINDS ? kind_names[s->got] : "?",
		     kind_names[s->want]);
}

static void note_bytes(const struct site *s)
{
	unsigned int i, from = s->got == PV_SITE_INDIRECT ? 0 : s->len;

	for (i = from; i < sizeof(s->out); i++) {
		if (s->out[i] != CANARY) {
			note("%s: byte %u written (%s)", site_desc(s), i,
			     s->got == PV_SITE_INDIRECT ? "indirect: none may be" :
			     "past the site");
			return;
		}
	}
	if (s->got == PV_SITE_INLINE && s->body &&
	    memcmp(s->out + s->len - s->body->rec->len, s->body->spec->fn,
		   s->body->rec->len))
		note("%s: the body's bytes are not at the end", site_desc(s));
	if (s->got == PV_SITE_DIRECT &&
	    (s->out[s->len - 5] != 0xe8 ||
	     get_le32(s->out + s->len - 4) != (u32)(s->fn - s->addr - s->len)))
		note("%s: not e8 rel32 to the implementation at the end", site_desc(s));
}

/* How many of the site's instructions are leading NOPs. */
static size_t leading_nops(const struct insn *v, size_t n)
{
	size_t i = 0;

	while (i < n && is_nop(v[i].text))
		i++;
	return i;
}

/* The site's instructions: the fewest whole NOPs, then its body or call. */
static void note_decode(const struct blob *b, const struct site *s)
{
	const struct insn *v;
	size_t n, tail = 0, i, pad;
	u64 tail_start;
	bool ok;
	char call[48];

	if (s->got == PV_SITE_INDIRECT || s->got >= PV_SITE_KINDS)
		return;
	n = region(&b->l, s->addr, s->len, &v);
	ok = covers(v, n, s->addr, s->len);
	if (s->got == PV_SITE_INLINE)
		tail = s->body && s->body->n > 0 ? (size_t)s->body->n : 0;
	else if (s->got == PV_SITE_DIRECT)
		tail = 1;
	ok = ok && n >= tail && (s->got == PV_SITE_NOP || tail);
	pad = ok ? n - tail : 0;
	if (ok && s->got == PV_SITE_INLINE) {
		for (i = 0; ok && i < tail; i++)
			ok = v[pad + i].len == s->body->insns[i].len &&
			     !strcmp(v[pad + i].text, s->body->insns[i].text);
	} else if (ok && s->got == PV_SITE_DIRECT) {
		snprintf(call, sizeof(call), "call %#llx", s->fn);
		ok = v[pad].len == 5 && !strcmp(v[pad].text, call);
	}
	if (ok) {
		tail_start = tail ? v[pad].addr : s->addr + s->len;
		ok = padding_ok(v, pad, (unsigned int)(tail_start - s->addr));
	}
	if (!ok) {
		note("%s: %s site decodes wrong", site_desc(s),
		     kind_names[s->got]);
		note_insns("got", v, n);
	}
}

/*
 * Where a CPU stopped at each offset of the site resumes: at the start
 * exactly when it is strictly inside and only NOPs lie before it (read
 * off objdump's listing, not from the patcher), else where it stopped.
 * That covers the forms runtime re-patching may install (a body of one
 * instruction, a call, NOPs): only NOPs precede each of their inner
 * instruction boundaries, so a CPU stopped at one never stays inside.
 */
static void note_resume(const struct blob *b, const struct site *s)
{
	const struct insn *v;
	unsigned int lead = pv_site_lead(s->got, s->len, &s->pimpl), off;
	size_t n, nops;
	u64 nop_end, got;

	if (s->got == PV_SITE_INDIRECT) {
		for (off = 0; off <= s->len; off++)
			if (pv_site_resume(s->addr + off, s->addr, s->len, lead) !=
			    s->addr + off)
				note("%s: indirect, yet offset %u moves", site_desc(s), off);
		return;
	}
	n = region(&b->l, s->addr, s->len, &v);
	nops = leading_nops(v, n);
	nop_end = nops < n ? v[nops].addr : s->addr + s->len;
	for (off = 0; off <= s->len; off++) {
		bool back = off > 0 && off < s->len && s->addr + off <= nop_end;

		got = pv_site_resume(s->addr + off, s->addr, s->len, lead);
		if (got != (back ? s->addr : s->addr + off))
			note("%s: %s, offset %u resumes at +%lld, expected +%u",
			     site_desc(s), kind_names[s->got], off,
			     (long long)(got - s->addr), back ? 0 : off);
	}
}

/* One implementation at every class and length 1-16, near and far. */
static size_t add_impl_sites(struct blob *b, const char *name,
			     const struct body *body, bool is_nop)
{
	size_t first = b->nsites;
	unsigned int far, cls, len;

	for (far = 0; far < 2; far++) {
		for (cls = PV_CLOBBERS_NORMAL; cls <= PV_CLOBBERS_NONE; cls++) {
			for (len = 1; len <= PV_MAX_SITE_LEN; len++) {
				u64 at = blob_next(b), fn;

				/* Near: just after or before; far: 2^40 away. */
				if (far)
					fn = at ^ (1ull << 40);
				else
					fn = len & 1 ? at + 0x1230 : at - 0x4560;
				add_site(b, name, body, is_nop, fn, len, cls);
			}
		}
	}
	return first;
}

static void check_sites(const struct blob *b, size_t first, size_t end)
{
	size_t i;

	for (i = first; i < end; i++)
		note_kind(&b->sites[i]);
	/* Inline if it fits and clobbers no more, else direct if in reach. */
	CHECK_NOTES("kinds");
	for (i = first; i < end; i++)
		note_bytes(&b->sites[i]);
	CHECK_NOTES("bytes: body or e8 rel32, nothing written past the site");
	if (!b->decoded)
		return;
	for (i = first; i < end; i++)
		note_decode(b, &b->sites[i]);
	CHECK_NOTES("objdump: fewest whole NOPs, then body or call to the end");
	for (i = first; i < end; i++)
		note_resume(b, &b->sites[i]);
	CHECK_NOTES("resume: back to the start only after leading NOPs");
}

static void test_sites_at(u64 base)
{
	struct blob blob;
	size_t start[NR_BODIES + 3], kinds[PV_SITE_KINDS], i;

	blob_init(&blob, base);
	for (i = 0; i < NR_BODIES; i++) {
		if (bodies[i].rec)
			start[i] = add_impl_sites(&blob, bodies[i].spec->name,
						  &bodies[i], false);
		else
			start[i] = blob.nsites;
	}
	start[NR_BODIES] = add_impl_sites(&blob, "pv_nop", NULL, true);
	start[NR_BODIES + 1] = add_impl_sites(&blob, "a C function", NULL,
					      false);
	start[NR_BODIES + 2] = blob.nsites;
	blob_decode(&blob);

	/* The matrix must reach every outcome, or it tests less than it seems. */
	unit_name("sites at %#llx", base);
	memset(kinds, 0, sizeof(kinds));
	for (i = 0; i < blob.nsites; i++)
		kinds[blob.sites[i].want < PV_SITE_KINDS ? blob.sites[i].want : 0]++;
	if (!CHECK(kinds[PV_SITE_INLINE] && kinds[PV_SITE_DIRECT] &&
		   kinds[PV_SITE_NOP] && kinds[PV_SITE_INDIRECT]))
		printf("#   inline %zu direct %zu nop %zu indirect %zu\n",
		       kinds[PV_SITE_INLINE], kinds[PV_SITE_DIRECT],
		       kinds[PV_SITE_NOP], kinds[PV_SITE_INDIRECT]);
	if (blob.decoded)
		printf("# %zu sites, %zu instructions decoded\n", blob.nsites,
		       blob.l.n);

	for (i = 0; i < NR_BODIES + 2; i++) {
		if (start[i] == start[i + 1])
			continue;
		unit_name("sites at %#llx calling %s", base,
			  blob.sites[start[i]].impl);
		check_sites(&blob, start[i], start[i + 1]);
	}
	unit_name(NULL);
	blob_free(&blob);
}

/* Exactly at and just past the ends of rel32's reach, and too long sites. */
static void test_edges(void)
{
	const u64 base = 0xffff888040000000ull;	/* ±2 GiB stays canonical */
	const s64 rels[] = {
		INT32_MAX, (s64)INT32_MAX + 1, INT32_MIN, (s64)INT32_MIN - 1,
	};
	const struct body *b = &bodies[0];
	struct blob blob;
	size_t i;

	blob_init(&blob, base);
	for (i = 0; i < ARRAY_SIZE(rels); i++) {
		u64 at = blob_next(&blob);

		add_site(&blob, "a C function", NULL, false,
			 at + PV_SITE_LEN + (u64)rels[i], PV_SITE_LEN,
			 PV_CLOBBERS_NORMAL);
	}
	/* Longer than the patcher handles: left alone, even for pv_nop. */
	add_site(&blob, "pv_nop", NULL, true, base, PV_MAX_SITE_LEN + 1,
		 PV_CLOBBERS_NORMAL);
	if (b->rec)
		add_site(&blob, b->spec->name, b, false, base,
			 PV_MAX_SITE_LEN + 1, PV_CLOBBERS_NORMAL);
	blob_decode(&blob);

	unit_name("edges");
	CHECK_EQ(blob.sites[0].want, PV_SITE_DIRECT);
	CHECK_EQ(blob.sites[1].want, PV_SITE_INDIRECT);
	CHECK_EQ(blob.sites[2].want, PV_SITE_DIRECT);
	CHECK_EQ(blob.sites[3].want, PV_SITE_INDIRECT);
	check_sites(&blob, 0, blob.nsites);
	unit_name(NULL);
	blob_free(&blob);
}

/* --- pv_build_indirect --- */

static void test_indirect(void)
{
	static const struct {
		u64 site;
		s64 delta;	/* slot - (site + 6) */
	} cases[] = {
		{ 0xffffffff81001000ull, 0x123456 },
		{ 0xffffffff81001000ull, -0x2000 },
		{ 0xffffffff8100100bull, INT32_MAX },
		{ 0xffffffff81001003ull, INT32_MIN },
		{ 0x0000000000401000ull, 0x10 },
		{ 0xffffffff81001000ull, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 site = cases[i].site;
		u64 slot = site + PV_SITE_LEN + (u64)cases[i].delta;
		u8 buf[PV_SITE_LEN + GUARD], expect[PV_SITE_LEN + GUARD];
		struct listing l = { 0 };
		char target[32];

		unit_name("pv_build_indirect at %#llx, slot %#llx", site, slot);
		memset(buf, CANARY, sizeof(buf));
		memset(expect, CANARY, sizeof(expect));
		expect[0] = 0xff;
		expect[1] = 0x15;
		expect[2] = (u8)cases[i].delta;
		expect[3] = (u8)(cases[i].delta >> 8);
		expect[4] = (u8)(cases[i].delta >> 16);
		expect[5] = (u8)(cases[i].delta >> 24);
		pv_build_indirect(buf, site, slot);
		if (!CHECK(!memcmp(buf, expect, sizeof(buf)))) {
			printf("#   got     ");
			for (size_t k = 0; k < sizeof(buf); k++)
				printf(" %02x", buf[k]);
			printf("\n#   expected");
			for (size_t k = 0; k < sizeof(buf); k++)
				printf(" %02x", expect[k]);
			printf("\n");
		}
		if (!have_objdump)
			continue;
		if (!disassemble(buf, PV_SITE_LEN, site, &l)) {
			unit_result(false, __FILE__, __LINE__, "objdump disassembles it");
			free(l.v);
			continue;
		}
		snprintf(target, sizeof(target), "%#llx", slot);
		if (l.n != 1 || l.v[0].len != PV_SITE_LEN ||
		    strncmp(l.v[0].text, "call *", 6) ||
		    !strstr(l.v[0].text, "(%rip)") ||
		    strcmp(l.v[0].target, target)) {
			note("expected one 6-byte call *disp(%%rip) # %s", target);
			note_insns("got", l.v, l.n);
		}
		CHECK_NOTES("objdump: call *disp(%rip) through the slot");
		free(l.v);
	}
	unit_name(NULL);
}

/*
 * pv_site_holds_call(), the patcher's refusal test: the exact call, and
 * nothing else: any one byte changed (an int3 over the first one
 * included), the call through a neighbouring slot, a record of another
 * length.
 */
static void test_holds_call(void)
{
	const u64 site = 0xffffffff81001000ull, slot = 0xffffffff81200040ull;
	u8 buf[PV_SITE_LEN + 1];
	unsigned int i, len;

	unit_name("pv_site_holds_call");
	pv_build_indirect(buf, site, slot);
	buf[PV_SITE_LEN] = 0x90;
	CHECK(pv_site_holds_call(buf, site, PV_SITE_LEN, slot));
	CHECK(!pv_site_holds_call(buf, site, PV_SITE_LEN, slot + 8));
	CHECK(!pv_site_holds_call(buf, site + 1, PV_SITE_LEN, slot));
	for (len = 0; len <= PV_SITE_LEN + 1; len++)
		if (len != PV_SITE_LEN)
			CHECK(!pv_site_holds_call(buf, site, len, slot));
	for (i = 0; i < PV_SITE_LEN; i++) {
		u8 keep = buf[i];

		buf[i] ^= 0x01;
		CHECK(!pv_site_holds_call(buf, site, PV_SITE_LEN, slot));
		buf[i] = i ? keep ^ 0x80 : 0xcc;
		CHECK(!pv_site_holds_call(buf, site, PV_SITE_LEN, slot));
		buf[i] = keep;
	}
	CHECK(pv_site_holds_call(buf, site, PV_SITE_LEN, slot));
	unit_name(NULL);
}

int main(void)
{
	static const u64 bases[] = {
		0xffffffff81000000ull,	/* the kernel's text */
		0xffffffff8123456bull,
		0x0000000000401000ull,
		0xffff888000000003ull,
	};
	size_t i;

	test_objdump_present();
	test_records();
	if (have_objdump)
		test_bodies();
	test_fill_nops();
	for (i = 0; i < ARRAY_SIZE(bases); i++)
		test_sites_at(bases[i]);
	test_edges();
	test_indirect();
	test_holds_call();
	return unit_done();
}
