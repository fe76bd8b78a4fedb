/* test_buf.c - the growable buffer, the printf engine with its escaping
 * conversions, and the per-request arena. */
#include "testutil.h"

#include "core/buf.h"
#include "core/mem.h"

#include <limits.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Formats into a fresh buffer and compares with want. */
static void expect_fmt(const char *want, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	assert_string_equal(buf_cstr(&b), want);
	assert_int_equal(b.len, strlen(want));
	buf_free(&b);
}

static void test_standard_conversions(void **state)
{
	(void)state;
	expect_fmt("42", "%d", 42);
	expect_fmt("-7", "%d", -7);
	expect_fmt("-9000000000", "%lld", -9000000000LL);
	expect_fmt("18446744073709551615", "%llu", 18446744073709551615ULL);
	expect_fmt("123456", "%zu", (size_t)123456);
	expect_fmt("-123", "%ld", -123L);
	expect_fmt(" 3.14", "%5.2f", 3.14159);
	expect_fmt("ab  |", "%-4s|", "ab");
	expect_fmt("hel", "%.*s", 3, "hello");
	expect_fmt("   ab", "%*s", 5, "ab");
	expect_fmt("ff", "%x", 255);
	expect_fmt("FF", "%X", 255);
	expect_fmt("00ff", "%04x", 255);
	expect_fmt("100%", "%d%%", 100);
	expect_fmt("%", "%%");
	expect_fmt("z", "%c", 'z');
	expect_fmt("+5", "%+d", 5);
	expect_fmt("1.5", "%g", 1.5);
	expect_fmt("plain text", "plain text");
	expect_fmt("", "");
	expect_fmt("a=1 b=two c=3.0", "a=%d b=%s c=%.1f", 1, "two", 3.0);
	/* The plain conversions written without snprintf, at their limits. */
	expect_fmt("0 -2147483648 2147483647", "%d %d %d", 0, INT_MIN, INT_MAX);
	expect_fmt("-9223372036854775808 9223372036854775807", "%lld %lld", LLONG_MIN, LLONG_MAX);
	expect_fmt("-9223372036854775808", "%ld", LONG_MIN);
	expect_fmt("4294967295 0", "%u %u", UINT_MAX, 0u);
	expect_fmt("18446744073709551615", "%lu", ULONG_MAX);
	expect_fmt("7 (null)", "%i %s", 7, (const char *)NULL);
	expect_fmt("x-1y", "x%hdy", (short)-1);
}

static void test_intmax_and_ptrdiff(void **state)
{
	(void)state;
	expect_fmt("-5000000000", "%jd", (intmax_t)-5000000000LL);
	expect_fmt("12", "%td", (ptrdiff_t)12);
	expect_fmt("5000000000", "%td", (ptrdiff_t)5000000000LL);
}

static void test_short_char_conversions(void **state)
{
	(void)state;
	/* h before an integer conversion is a length modifier, not %h. */
	expect_fmt("-1", "%hd", (int)(short)-1);
	expect_fmt("-25536", "%hd", 40000); /* converted to short */
	expect_fmt("7", "%hhd", 7);
	expect_fmt("-56", "%hhd", 200); /* converted to signed char */
	expect_fmt("65535", "%hu", 65535);
	expect_fmt("ff", "%hhx", 255);
	expect_fmt("[12]", "[%hd]", 12);
}

static void test_html(void **state)
{
	(void)state;
	expect_fmt("&amp; &lt;b&gt; &quot;x&quot; &#39;y&#39;", "%h", "& <b> \"x\" 'y'");
	expect_fmt("<p></p>", "<p>%h</p>", (const char *)NULL);
	expect_fmt("Hà Nội", "%h", "Hà Nội");
	expect_fmt("a&amp;b|c&lt;d", "%h|%h", "a&b", "c<d");
	struct buf b = BUF_INIT;
	buf_html(&b, "<script>");
	assert_string_equal(buf_cstr(&b), "&lt;script&gt;");
	buf_free(&b);
}

static void test_url(void **state)
{
	(void)state;
	expect_fmt("H%C3%A0%20N%E1%BB%99i", "%t", "Hà Nội");
	expect_fmt("a-b_c.d~e", "%t", "a-b_c.d~e");
	expect_fmt("AZaz09", "%t", "AZaz09");
	expect_fmt("%2F%3F%26%3D%2B%25%23", "%t", "/?&=+%#");
	expect_fmt("/login?next=", "/login?next=%t", (const char *)NULL);
	expect_fmt("/x?q=a%20b&p=2", "/x?q=%t&p=%d", "a b", 2);
}

static void test_json(void **state)
{
	(void)state;
	expect_fmt("\"plain\"", "%j", "plain");
	expect_fmt("\"q\\\"b\\\\n\\n\"", "%j", "q\"b\\n\n");
	expect_fmt("\"\\u0001\\u001f\"", "%j", "\x01\x1f");
	expect_fmt("\"\\t\\r\"", "%j", "\t\r");
	expect_fmt("null", "%j", (const char *)NULL);
	expect_fmt("{\"name\":\"Hà Nội\"}", "{\"name\":%j}", "Hà Nội");
	/* '<' is escaped so a string can sit inside <script>. */
	expect_fmt("\"\\u003c/script>\"", "%j", "</script>");
}

static void test_csv_field(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_csv_field(&b, "Hà Nội, \"Ba Đình\"");
	buf_putc(&b, ',');
	buf_csv_field(&b, "");
	buf_putc(&b, ',');
	buf_csv_field(&b, NULL);
	buf_putc(&b, ',');
	buf_csv_field(&b, "a\r\nb");
	assert_string_equal(buf_cstr(&b), "\"Hà Nội, \"\"Ba Đình\"\"\",\"\",\"\",\"a\r\nb\"");
	buf_free(&b);
}

/* OWASP's rule against formula injection: a text starting with = + - @ tab
 * or CR leaves in a spreadsheet with a "'" in front; a number column keeps
 * its plain numbers; the quote comes off again exactly on import. */
static void test_cell_formula(void **state)
{
	(void)state;
	static const struct {
		const char *in, *text, *figure;
	} cases[] = {
		{"=HYPERLINK(\"http://evil.example\",\"x\")",
		 "'=HYPERLINK(\"http://evil.example\",\"x\")",
		 "'=HYPERLINK(\"http://evil.example\",\"x\")"},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3+cmd", "'-2+3+cmd", "'-2+3+cmd"},
		{"@SUM(A1)", "'@SUM(A1)", "'@SUM(A1)"},
		{"\t=1+1", "'\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1", "'\r=1+1"},
		{"'=1+1", "''=1+1", "''=1+1"},
		{"''@x", "'''@x", "'''@x"},
		{"-5", "'-5", "-5"},
		{"-1.234,5", "'-1.234,5", "-1.234,5"},
		{"-7%", "'-7%", "-7%"},
		{"-", "'-", "'-"},
		{"-5-1", "'-5-1", "'-5-1"},
		{"Cơ sở = A", "Cơ sở = A", "Cơ sở = A"},
		{"'abc", "'abc", "'abc"},
		{"9590", "9590", "9590"},
		{"", "", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf t = BUF_INIT, f = BUF_INIT;
		buf_cell_text(&t, cases[i].in, 0);
		buf_cell_text(&f, cases[i].in, 1);
		assert_string_equal(buf_cstr(&t), cases[i].text);
		assert_string_equal(buf_cstr(&f), cases[i].figure);
		assert_string_equal(cell_unquote(buf_cstr(&t)), cases[i].in);
		assert_string_equal(cell_unquote(buf_cstr(&f)), cases[i].in);
		buf_free(&t);
		buf_free(&f);
	}
	struct buf b = BUF_INIT;
	buf_csv_field(&b, "=1+\"2\"");
	buf_putc(&b, ',');
	buf_csv_number(&b, "-5");
	buf_putc(&b, ',');
	buf_csv_field(&b, "-5");
	buf_putc(&b, ',');
	buf_csv_number(&b, "=1");
	assert_string_equal(buf_cstr(&b), "\"'=1+\"\"2\"\"\",\"-5\",\"'-5\",\"'=1\"");
	buf_free(&b);
	assert_null(cell_unquote(NULL));
	assert_false(cell_formula_like(NULL));
}

static void test_read_file(void **state)
{
	(void)state;
	char path[] = "/tmp/kc-test-buf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "Hà Nội\n\0binary";
	assert_int_equal(write(fd, text, sizeof text), (ssize_t)sizeof text);
	close(fd);
	struct buf b = BUF_INIT;
	buf_puts(&b, ">");
	assert_int_equal(buf_read_file(&b, path), 0);
	assert_int_equal(b.len, 1 + sizeof text);
	assert_memory_equal(b.data + 1, text, sizeof text);
	unlink(path);
	assert_int_equal(buf_read_file(&b, path), -1);
	assert_int_equal(b.len, 1 + sizeof text);
	buf_free(&b);
}

static void test_long_output_grows(void **state)
{
	(void)state;
	size_t n = 20000;
	char *big = xmalloc(n + 1);
	memset(big, 'x', n);
	big[n] = 0;

	struct buf b = BUF_INIT;
	buf_printf(&b, "[%s]", big);
	assert_int_equal(b.len, n + 2);
	assert_true(b.cap > b.len);
	assert_int_equal(buf_cstr(&b)[0], '[');
	assert_int_equal(buf_cstr(&b)[n + 1], ']');
	assert_int_equal(strlen(buf_cstr(&b)), n + 2);

	/* Escaping conversions grow too: each '&' becomes 5 bytes. */
	memset(big, '&', n);
	buf_reset(&b);
	buf_printf(&b, "%h", big);
	assert_int_equal(b.len, 5 * n);
	assert_memory_equal(b.data + 5 * (n - 1), "&amp;", 5);

	/* Many small appends. */
	buf_reset(&b);
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, "%04d,", i);
	assert_int_equal(b.len, 5000 * 5);
	assert_memory_equal(b.data + 4999 * 5, "4999,", 5);

	/* A wide field longer than any internal scratch space. */
	buf_reset(&b);
	buf_printf(&b, "%-30s|", "w");
	assert_int_equal(b.len, 31);
	buf_reset(&b);
	buf_printf(&b, "%700s|", "w");
	assert_int_equal(b.len, 701);
	buf_reset(&b);
	buf_printf(&b, "%700d|", 1);
	assert_int_equal(b.len, 701);
	buf_reset(&b);
	buf_printf(&b, "%.600f|", 1.0);
	assert_int_equal(b.len, 2 + 600 + 1);
	buf_free(&b);
	free(big);
}

static void test_detach_reset_free(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(buf_cstr(&b), "");
	buf_puts(&b, "abc");
	buf_putc(&b, 'd');
	buf_append(&b, "efgh", 2);
	assert_string_equal(buf_cstr(&b), "abcdef");
	assert_int_equal(b.len, 6);

	size_t cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, cap); /* memory kept */
	assert_string_equal(buf_cstr(&b), "");
	buf_printf(&b, "n=%d", 5);
	assert_string_equal(buf_cstr(&b), "n=5");

	char *s = buf_detach(&b);
	assert_string_equal(s, "n=5");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);

	/* Detaching an empty buffer gives an empty heap string. */
	char *empty = buf_detach(&b);
	assert_non_null(empty);
	assert_string_equal(empty, "");
	free(empty);

	/* Printing nothing still leaves a valid C string. */
	buf_printf(&b, "%h", (const char *)NULL);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
	assert_null(b.data);
	buf_free(&b); /* twice is harmless */
}

static void test_arena(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	size_t align = alignof(max_align_t);

	/* Many small allocations, each zeroed, aligned and distinct. */
	enum { N = 3000 };
	unsigned char **ptrs = xcalloc(N, sizeof *ptrs);
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i % 37) + 1;
		ptrs[i] = arena_alloc(a, n);
		assert_non_null(ptrs[i]);
		assert_int_equal((uintptr_t)ptrs[i] % align, 0);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(ptrs[i][k], 0);
		memset(ptrs[i], i & 0xff, n);
	}
	/* Writing one allocation never clobbered another. */
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i % 37) + 1;
		for (size_t k = 0; k < n; k++)
			assert_int_equal(ptrs[i][k], i & 0xff);
	}
	free(ptrs);

	/* Zero-byte requests still give distinct aligned pointers. */
	void *z1 = arena_alloc(a, 0), *z2 = arena_alloc(a, 0);
	assert_ptr_not_equal(z1, z2);
	assert_int_equal((uintptr_t)z1 % align, 0);

	/* A big allocation bigger than a chunk. */
	size_t big = 100000;
	unsigned char *p = arena_alloc(a, big);
	assert_int_equal((uintptr_t)p % align, 0);
	for (size_t k = 0; k < big; k += 4096)
		assert_int_equal(p[k], 0);
	memset(p, 0xab, big);
	assert_int_equal(p[big - 1], 0xab);
	/* ...and small ones after it still work. */
	char *after = arena_alloc(a, 10);
	assert_int_equal((uintptr_t)after % align, 0);

	/* Copies. */
	char *s = arena_strdup(a, "Hà Nội");
	assert_string_equal(s, "Hà Nội");
	char *t = arena_strndup(a, "abcdef", 3);
	assert_string_equal(t, "abc");
	assert_null(arena_strdup(a, NULL));
	assert_null(arena_strndup(a, NULL, 4));
	char *e = arena_strdup(a, "");
	assert_non_null(e);
	assert_string_equal(e, "");

	arena_free(a);
	arena_free(NULL);
}

static void test_xstr(void **state)
{
	(void)state;
	char *s = xstrdup("hello");
	assert_string_equal(s, "hello");
	char *t = xstrndup("hello", 2);
	assert_string_equal(t, "he");
	free(s);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_conversions),
		cmocka_unit_test(test_intmax_and_ptrdiff),
		cmocka_unit_test(test_short_char_conversions),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_cell_formula),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_long_output_grows),
		cmocka_unit_test(test_detach_reset_free),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_xstr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
