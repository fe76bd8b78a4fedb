/* test_trace.c - traceability: GTIN check digits, lot codes, GS1 Digital
 * Link parsing and formatting, Ed25519 signatures of trace paths (good,
 * altered lot, altered GTIN, wrong key, malformed), the stored key pair;
 * the rules and scoping of products, lots and lot events; photos checked
 * by content; the public catalogue's reads; QR and label drawing. */
#include "testutil.h"

#include "io/labels.h"
#include "io/qr.h"
#include "model/catalogue.h"
#include "model/photo.h"
#include "model/record.h"
#include "model/trace.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct actor admin;
static char *db_path;

static int setup(void **state)
{
	return test_group_reference(state, "trace", &db_path, &admin);
}

static int teardown(void **state)
{
	return test_group_close(state, db_path);
}

/* ---- GTIN ------------------------------------------------------------ */

static void gtin_ok(const char *in, const char *want)
{
	char out[GTIN_TEXT];
	struct err e;
	err_clear(&e);
	if (gtin_check(in, out, &e) != 0)
		fail_msg("gtin_check(%s): %s", in, e.message);
	assert_string_equal(out, want);
}

static void gtin_bad(const char *in)
{
	char out[GTIN_TEXT];
	struct err e;
	err_clear(&e);
	if (gtin_check(in, out, &e) != ERR_INVALID)
		fail_msg("gtin_check(%s) accepted it", in);
	assert_string_equal(e.field, "gtin");
}

static void test_gtin(void **state)
{
	(void)state;
	/* Published examples: EAN-13, UPC-A (GTIN-12), EAN-8, the GTIN-14 of
	 * GS1's Digital Link examples; each stored as 14 digits. */
	gtin_ok("4006381333931", "04006381333931");
	gtin_ok("036000291452", "00036000291452");
	gtin_ok("96385074", "00000096385074");
	gtin_ok("09506000134352", "09506000134352");
	gtin_ok("400 6381 333931", "04006381333931"); /* as printed under a barcode */
	assert_int_equal(gtin_check_digit("4006381333931", 13), 1);
	assert_int_equal(gtin_check_digit("96385074", 8), 4);
	assert_int_equal(gtin_check_digit("40a6381333931", 13), -1);

	gtin_bad("4006381333930"); /* check digit off by one */
	gtin_bad("4006381333932");
	gtin_bad("036000291453");
	gtin_bad("96385075");
	gtin_bad("09506000134353");
	gtin_bad("9638507");	     /* 7 digits */
	gtin_bad("400638133393");    /* 12 digits, check digit wrong for UPC */
	gtin_bad("40063813339310");  /* 14 digits, wrong */
	gtin_bad("040063813339310"); /* 15 digits */
	gtin_bad("400638133393A");
	gtin_bad("4006381333931\n");
	gtin_bad("");
	gtin_bad("00000000");
	gtin_bad(NULL);
}

static void test_lot_code(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(lot_code_check("HMC-2025-031", &e), 0);
	assert_int_equal(lot_code_check("a.b_C-9", &e), 0);
	assert_int_equal(lot_code_check("12345678901234567890", &e), 0);
	assert_int_equal(lot_code_check("123456789012345678901", &e), ERR_INVALID);
	assert_int_equal(lot_code_check("", &e), ERR_INVALID);
	assert_int_equal(lot_code_check("A/B", &e), ERR_INVALID);
	assert_int_equal(lot_code_check("A B", &e), ERR_INVALID);
	assert_int_equal(lot_code_check("Lô1", &e), ERR_INVALID);
	assert_int_equal(lot_code_check("A?s=1", &e), ERR_INVALID);
	assert_string_equal(e.field, "lot_code");
}

/* ---- Digital Link ---------------------------------------------------- */

static void dl_ok(const char *path, const char *query, const char *gtin, const char *lot)
{
	struct dlink d;
	struct err e;
	err_clear(&e);
	if (dlink_parse(path, query, &d, &e) != 0)
		fail_msg("dlink_parse(%s): %s", path, e.message);
	assert_string_equal(d.gtin, gtin);
	assert_string_equal(d.lot, lot);
}

/* Parsing fails naming field. */
static void dl_bad(const char *path, const char *query, const char *field)
{
	struct dlink d;
	struct err e;
	err_clear(&e);
	if (dlink_parse(path, query, &d, &e) == 0)
		fail_msg("dlink_parse accepted %s?%s", path ? path : "", query ? query : "");
	if (strcmp(e.field, field))
		fail_msg("dlink_parse(%s?%s) names %s, not %s", path ? path : "", query ? query : "", e.field,
			 field);
}

static void test_dlink(void **state)
{
	(void)state;
	dl_ok("/01/09506000134352/10/ABC123", NULL, "09506000134352", "ABC123");
	dl_ok("/01/4006381333931/10/L-1", NULL, "04006381333931", "L-1");    /* 13 digits */
	dl_ok("/01/09506000134352/10/AB%2DC", "", "09506000134352", "AB-C"); /* decoded once */
	dl_ok("/01/09506000134352/10/AB%252DC", "", "09506000134352", "AB%2DC");
	dl_ok("/01/09506000134352", NULL, "09506000134352", "");
	dl_ok("/01/09506000134352/10/A%2FB", NULL, "09506000134352", "A/B");
	dl_ok("/01/09506000134352/10/A+B", NULL, "09506000134352", "A+B");     /* '+' in a path */
	dl_ok("/01/09506000134352/10/A%4gB", NULL, "09506000134352", "A%4gB"); /* not an escape */
	dl_ok("/01/09506000134352/10/AB%2", NULL, "09506000134352", "AB%2");
	dl_ok("/01/09506000134352/10/L", "17=270315&linkType=gs1:pip&utm_source=qr&&x",
	      "09506000134352", "L");

	struct dlink d;
	assert_int_equal(dlink_parse("/01/09506000134352/22/V1/10/L/21/S%2B1", "s=abc", &d, NULL),
			 0);
	assert_string_equal(d.variant, "V1");
	assert_string_equal(d.serial, "S+1");
	assert_string_equal(d.sig, "abc");
	struct buf f = BUF_INIT;
	dlink_format(&f, &d);
	assert_string_equal(buf_cstr(&f), "/01/09506000134352/22/V1/10/L/21/S%2B1");
	buf_free(&f);
	assert_int_equal(dlink_parse("/01/09506000134352/10/L", "s=a%00b", &d, NULL), 0);
	assert_true(d.sig_bad);

	dl_bad("/01/09506000134352/10/", NULL, "10");
	dl_bad("/01/09506000134352/", NULL, "path");
	dl_bad("/01/09506000134353/10/ABC123", NULL, "gtin");
	dl_bad("/01//10/ABC", NULL, "gtin");
	dl_bad("/02/09506000134352/10/ABC123", NULL, "path");
	dl_bad("/01/09506000134352/21/S/10/L", NULL, "path"); /* qualifiers out of order */
	dl_bad("/01/09506000134352/10/L/10/M", NULL, "path");
	dl_bad("/01/09506000134352/10/A%00", NULL, "10");
	dl_bad("/01/09506000134352/10/A%00junk", NULL, "10");
	dl_bad("/01/09506000134352/10/A%20B", NULL, "10");
	dl_bad("/01/09506000134352/10/ABCDEFGHIJKLMNOPQRSTU", NULL, "10");
	dl_bad("/01/0950600013435x/10/ABC", NULL, "gtin");
	dl_bad("/t/5", NULL, "path");
	dl_bad("01/09506000134352/10/ABC", NULL, "path");
	dl_bad("", NULL, "path");
	dl_bad(NULL, NULL, "path");
	dl_bad("/01/09506000134352/10/L", "17=271332", "17");
	dl_bad("/01/09506000134352/10/L", "17=", "17");
	dl_bad("/01/09506000134352/10/L", "999=1", "999");
	dl_bad("/01/09506000134352/10/L", "10=L", "10");
	dl_bad("/01/09506000134352/10/L", "99=A&99=B", "99");
	dl_bad("/01/09506000134352/10/L", "99=A%00", "99");
	dl_bad("/01/09506000134352/10/L", "s=a&s=b", "s");
	assert_int_equal(dlink_attr_check("3103", "000195", NULL), 0);
	assert_int_equal(dlink_attr_check("3922", "0299", NULL), 0);
	assert_int_equal(dlink_attr_check("3106", "000195", NULL), ERR_INVALID);

	/* Formatting is canonical: 14 digits; parse(format(x)) == x. */
	struct dlink in = {.gtin = "04006381333931", .lot = "L-1"};
	struct buf b = BUF_INIT;
	dlink_format(&b, &in);
	assert_string_equal(buf_cstr(&b), "/01/04006381333931/10/L-1");
	dl_ok(buf_cstr(&b), NULL, in.gtin, in.lot);
	buf_reset(&b);
	trace_path(&b, 42, "04006381333931", "L-1");
	assert_string_equal(buf_cstr(&b), "/01/04006381333931/10/L-1");
	buf_reset(&b);
	trace_path(&b, 42, NULL, "L-1");
	assert_string_equal(buf_cstr(&b), "/t/42");
	buf_reset(&b);
	trace_path(&b, 7, "", "L-1");
	assert_string_equal(buf_cstr(&b), "/t/7");
	buf_free(&b);
}

/* ---- signatures ------------------------------------------------------ */

static void test_signatures(void **state)
{
	(void)state;
	struct trace_key k1, k2;
	trace_key_generate(&k1);
	trace_key_generate(&k2);
	const char *path = "/01/09506000134352/10/ABC123";
	char sig[TRACE_SIG_TEXT];
	trace_sign(&k1, path, sig);
	assert_int_equal(strlen(sig), 86);
	assert_null(strpbrk(sig, "+/=")); /* base64url, unpadded: safe in a query */

	assert_int_equal(trace_verify(k1.pk, path, sig), 1);			       /* good */
	assert_int_equal(trace_verify(k1.pk, "/01/09506000134352/10/ABC124", sig), 0); /* lot */
	assert_int_equal(trace_verify(k1.pk, "/01/04006381333931/10/ABC123", sig), 0); /* GTIN */
	assert_int_equal(trace_verify(k2.pk, path, sig), 0);			       /* key */
	assert_int_equal(trace_verify(k1.pk, "/t/1", sig), 0);

	char bad[TRACE_SIG_TEXT + 8];
	snprintf(bad, sizeof bad, "%s", sig);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	assert_int_equal(trace_verify(k1.pk, path, bad), 0); /* altered signature */
	snprintf(bad, sizeof bad, "%.85s", sig);
	assert_int_equal(trace_verify(k1.pk, path, bad), 0); /* truncated */
	snprintf(bad, sizeof bad, "%s==", sig);
	assert_int_equal(trace_verify(k1.pk, path, bad), 0); /* padded */
	snprintf(bad, sizeof bad, "%sAA", sig);
	assert_int_equal(trace_verify(k1.pk, path, bad), 0); /* too long */
	assert_int_equal(trace_verify(k1.pk, path, "!!!"), 0);
	assert_int_equal(trace_verify(k1.pk, path, ""), 0);
	assert_int_equal(trace_verify(k1.pk, path, NULL), 0);
	assert_int_equal(trace_verify(k1.pk, NULL, sig), 0);

	/* The signed URL carries exactly that signature. */
	struct buf u = BUF_INIT;
	trace_signed_url(&u, &k1, "https://kc.example.vn", path);
	char want[256];
	snprintf(want, sizeof want, "https://kc.example.vn%s?s=%s", path, sig);
	assert_string_equal(buf_cstr(&u), want);
	buf_free(&u);

	char pk[TRACE_PK_TEXT];
	trace_pk_text(k1.pk, pk);
	assert_int_equal(strlen(pk), 44);
}

static void test_stored_key(void **state)
{
	struct store *st = *state;
	struct trace_key a, b;
	struct err e;
	err_clear(&e);
	assert_int_equal(
		test_count(st, "SELECT COUNT(*) FROM settings WHERE key = 'trace.ed25519'"), 0);
	if (trace_key_load(st, &a, &e) != 0)
		fail_msg("trace_key_load: %s", e.message);
	assert_int_equal(
		test_count(st, "SELECT COUNT(*) FROM settings WHERE key = 'trace.ed25519'"), 1);
	/* The first pair stays: another connection (another server) reads it. */
	struct store *other;
	assert_int_equal(store_open(db_path, &other, &e), 0);
	assert_int_equal(trace_key_load(other, &b, &e), 0);
	store_close(other);
	assert_memory_equal(a.pk, b.pk, 32);
	assert_memory_equal(a.sk, b.sk, 64);
	char sig[TRACE_SIG_TEXT];
	trace_sign(&b, "/t/9", sig);
	assert_int_equal(trace_verify(a.pk, "/t/9", sig), 1);

	/* A damaged stored key is an error, not a silent new key. */
	store_run(st, NULL, "UPDATE settings SET value = 'x' WHERE key = 'trace.ed25519'", "");
	assert_int_equal(trace_key_load(st, &b, &e), ERR_STORE);
	store_run(st, NULL, "DELETE FROM settings WHERE key = 'trace.ed25519'", "");
	assert_int_equal(trace_key_load(st, &b, &e), 0);
	assert_memory_not_equal(a.pk, b.pk, 32);
}

static void test_base_url(void **state)
{
	struct store *st = *state;
	char out[256];
	unsetenv("KC_PUBLIC_URL");
	trace_base_url(NULL, "kc.example.vn:8080", NULL, out, sizeof out);
	assert_string_equal(out, "http://kc.example.vn:8080");
	trace_base_url(NULL, "kc.example.vn", "https", out, sizeof out);
	assert_string_equal(out, "https://kc.example.vn");
	trace_base_url(NULL, "evil.example\"><script>", NULL, out, sizeof out);
	assert_string_equal(out, "http://localhost");
	trace_base_url(NULL, "a/b", NULL, out, sizeof out);
	assert_string_equal(out, "http://localhost");
	trace_base_url(NULL, NULL, NULL, out, sizeof out);
	assert_string_equal(out, "http://localhost");
	/* The setting wins over the request, the environment over both. */
	store_run(
		st, NULL,
		"INSERT INTO settings(key, value) VALUES ('public_url', 'https://sp.example.vn/')",
		"");
	trace_base_url(st, "kc.example.vn", NULL, out, sizeof out);
	assert_string_equal(out, "https://sp.example.vn");
	setenv("KC_PUBLIC_URL", "https://truyxuat.example.vn//", 1);
	trace_base_url(st, "kc.example.vn", NULL, out, sizeof out);
	assert_string_equal(out, "https://truyxuat.example.vn");
	/* A path prefix is refused: the codes would print /trace/01/… */
	setenv("KC_PUBLIC_URL", "https://truyxuat.example.vn/trace", 1);
	trace_base_url(st, "kc.example.vn", NULL, out, sizeof out);
	assert_string_equal(out, "https://sp.example.vn");
	struct err e;
	assert_int_equal(trace_base_check("https://truyxuat.example.vn/trace/", &e), ERR_INVALID);
	assert_string_equal(e.field, "KC_PUBLIC_URL");
	assert_int_equal(trace_base_check("https://truyxuat.example.vn:8443/", NULL), 0);
	assert_int_equal(trace_base_check("https:///x", NULL), ERR_INVALID);
	setenv("KC_PUBLIC_URL", "javascript:alert(1)", 1);
	trace_base_url(st, "kc.example.vn", NULL, out, sizeof out);
	assert_string_equal(out, "https://sp.example.vn");
	unsetenv("KC_PUBLIC_URL");
	store_run(st, NULL, "DELETE FROM settings WHERE key = 'public_url'", "");
}

/* ---- products, lots and their scope ---------------------------------- */

struct world {
	int64_t est_a, est_b, award_a, award_b, prod_a, prod_b, lot_a;
};
static struct world W;

static int64_t make_est(struct store *st, const char *name, const char *commune)
{
	json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:[s]}", "name", name, "kind", "household",
			       "commune_id", commune, "phone", "0912 345 678", "channels",
			       "https://example.com/shop/a");
	json_object_set_new(in, "note", json_string("ghi-chu-noi-bo-bi-mat"));
	return test_create_ok(st, &admin, "establishments", in);
}

static void test_products_and_lots(void **state)
{
	struct store *st = *state;
	W.est_a = make_est(st, "Cơ sở nghệ thử nghiệm A", "Xã Mễ Sở, Hưng Yên");
	W.est_b = make_est(st, "Cơ sở mây tre thử nghiệm B", "Phú Nghĩa, Hà Nội");
	W.award_a = test_create_ok(st, &admin, "awards",
			      json_pack("{s:s,s:I,s:s,s:s,s:i}", "product_name", "Tinh bột nghệ",
					"establishment_id", (json_int_t)W.est_a, "level",
					"province", "product_group", "food", "year", 2024));
	W.award_b = test_create_ok(st, &admin, "awards",
			      json_pack("{s:s,s:I,s:s,s:s,s:i}", "product_name", "Giỏ mây",
					"establishment_id", (json_int_t)W.est_b, "level",
					"national", "product_group", "handicraft", "year", 2023));

	/* The GTIN is checked and stored as 14 digits. */
	json_t *p = json_pack("{s:I,s:s,s:s,s:s,s:I,s:b}", "establishment_id", (json_int_t)W.est_a,
			      "name", "Tinh bột nghệ thử nghiệm", "category", "food", "gtin",
			      "4006381333931", "award_id", (json_int_t)W.award_a, "published", 1);
	json_object_set_new(p, "note", json_string("ghi-chu-san-pham-bi-mat"));
	W.prod_a = test_create_ok(st, &admin, "products", p);
	json_t *r = test_get_ok(st, &admin, "products", W.prod_a);
	assert_string_equal(json_string_value(json_object_get(r, "gtin")), "04006381333931");
	assert_string_equal(json_string_value(json_object_get(r, "province_code")), "33");
	json_decref(r);

	test_create_fails(st, &admin, "products",
		     json_pack("{s:I,s:s,s:s,s:s}", "establishment_id", (json_int_t)W.est_a, "name",
			       "Sai mã", "category", "food", "gtin", "4006381333932"),
		     ERR_INVALID, "gtin");
	test_create_fails(st, &admin, "products",
		     json_pack("{s:I,s:s,s:s,s:s}", "establishment_id", (json_int_t)W.est_a, "name",
			       "Trùng mã", "category", "food", "gtin", "04006381333931"),
		     ERR_CONFLICT, "gtin");
	/* An award must be the maker's own. */
	test_create_fails(st, &admin, "products",
		     json_pack("{s:I,s:s,s:s,s:I}", "establishment_id", (json_int_t)W.est_a, "name",
			       "Giải của người khác", "category", "food", "award_id",
			       (json_int_t)W.award_b),
		     ERR_INVALID, "award_id");
	test_create_fails(st, &admin, "products",
		     test_json_parse("{\"establishment_id\": 1, \"name\": \"x\", \"category\": \"food\","
			 " \"channels\": [\"javascript:alert(1)\"]}"),
		     ERR_INVALID, "channels");
	test_create_fails(st, &admin, "products",
		     json_pack("{s:I,s:s,s:s,s:i}", "establishment_id", (json_int_t)W.est_a, "name",
			       "Sáu sao", "category", "food", "ocop_stars", 6),
		     ERR_INVALID, "ocop_stars");
	W.prod_b = test_create_ok(st, &admin, "products",
			     json_pack("{s:I,s:s,s:s,s:I}", "establishment_id", (json_int_t)W.est_b,
				       "name", "Giỏ mây thử nghiệm", "category", "handicraft",
				       "award_id", (json_int_t)W.award_b));
	r = test_get_ok(st, &admin, "products", W.prod_b);
	assert_true(json_is_false(json_object_get(r, "published"))); /* a draft by default */
	json_decref(r);

	/* A lot takes its maker from the product; inputs are normalised. */
	json_t *lot = test_json_parse("{\"lot_code\": \"A-2025-01\", \"production_date\": \"15/03/2025\","
			  " \"expiry_date\": \"15/03/2027\", \"quantity\": \"1.200\","
			  " \"quantity_unit\": \"hộp\", \"inputs\": {\"Nghệ tươi\": \"Khoái Châu\","
			  " \"Mật ong\": {\"origin\": \"Mễ Sở\", \"supplier\": \"HTX\"}}}");
	json_object_set_new(lot, "product_id", json_integer(W.prod_a));
	W.lot_a = test_create_ok(st, &admin, "lots", lot);
	r = test_get_ok(st, &admin, "lots", W.lot_a);
	assert_int_equal(json_integer_value(json_object_get(r, "establishment_id")), W.est_a);
	assert_int_equal(json_integer_value(json_object_get(r, "quantity")), 1200);
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(json_object_get(r, "inputs"), "Nghệ tươi"), "origin")),
		"Khoái Châu");
	assert_true(json_is_false(json_object_get(r, "recalled")));
	json_decref(r);

	json_t *dup = test_json_parse("{\"lot_code\": \"A-2025-01\", \"production_date\": \"16/03/2025\"}");
	json_object_set_new(dup, "product_id", json_integer(W.prod_a));
	test_create_fails(st, &admin, "lots", dup, ERR_CONFLICT, "lot_code");
	json_t *badcode = test_json_parse("{\"lot_code\": \"A 1/2\", \"production_date\": \"16/03/2025\"}");
	json_object_set_new(badcode, "product_id", json_integer(W.prod_a));
	test_create_fails(st, &admin, "lots", badcode, ERR_INVALID, "lot_code");
	json_t *recall = test_json_parse("{\"lot_code\": \"A-2025-02\", \"production_date\": \"16/03/2025\","
			     " \"recalled\": true}");
	json_object_set_new(recall, "product_id", json_integer(W.prod_a));
	test_create_fails(st, &admin, "lots", recall, ERR_INVALID, "recall_reason");
	json_t *early = test_json_parse("{\"lot_code\": \"A-2025-03\", \"production_date\": \"16/03/2025\","
			    " \"expiry_date\": \"15/03/2025\"}");
	json_object_set_new(early, "product_id", json_integer(W.prod_a));
	test_create_fails(st, &admin, "lots", early, ERR_INVALID, "expiry_date");
	json_t *inputs = test_json_parse("{\"lot_code\": \"A-2025-04\", \"production_date\": \"16/03/2025\","
			     " \"inputs\": {\"Nghệ\": 5}}");
	json_object_set_new(inputs, "product_id", json_integer(W.prod_a));
	test_create_fails(st, &admin, "lots", inputs, ERR_INVALID, "inputs");
	/* The maker is the system's to set. */
	json_t *forced = test_json_parse("{\"lot_code\": \"A-2025-05\", \"production_date\": \"16/03/2025\"}");
	json_object_set_new(forced, "product_id", json_integer(W.prod_a));
	json_object_set_new(forced, "establishment_id", json_integer(W.est_b));
	test_create_fails(st, &admin, "lots", forced, ERR_INVALID, "establishment_id");

	json_t *ev = json_pack("{s:I,s:s,s:s,s:s}", "lot_id", (json_int_t)W.lot_a, "event_date",
			       "10/03/2025", "what", "Thu hoạch", "place", "Khoái Châu");
	int64_t evid = test_create_ok(st, &admin, "lot-events", ev);
	r = test_get_ok(st, &admin, "lot-events", evid);
	assert_int_equal(json_integer_value(json_object_get(r, "establishment_id")), W.est_a);
	assert_string_equal(json_string_value(json_object_get(r, "province_code")), "33");
	json_decref(r);

	/* A product with lots stays with its maker. */
	struct err e;
	json_t *move = json_pack("{s:I}", "establishment_id", (json_int_t)W.est_b);
	assert_int_equal(record_update(st, &admin, entity_find("products"), W.prod_a, move, -1, &e),
			 ERR_INVALID);
	assert_string_equal(e.field, "establishment_id");
	json_decref(move);
}

static void test_scope(void **state)
{
	struct store *st = *state;
	struct actor est_a = test_actor(ROLE_ESTABLISHMENT, NULL, W.est_a);
	struct actor hn = test_actor(ROLE_PROVINCE, "01", 0);
	struct actor hy = test_actor(ROLE_PROVINCE, "33", 0);
	struct err e;

	/* An establishment adds lots to its own products only. */
	json_t *mine = json_pack("{s:I,s:s,s:s}", "product_id", (json_int_t)W.prod_a, "lot_code",
				 "A-OWN-1", "production_date", "01/04/2025");
	int64_t own = test_create_ok(st, &est_a, "lots", mine);
	json_t *theirs = json_pack("{s:I,s:s,s:s}", "product_id", (json_int_t)W.prod_b, "lot_code",
				   "B-NOT-1", "production_date", "01/04/2025");
	test_create_fails(st, &est_a, "lots", theirs, ERR_INVALID, "product_id");
	/* ...and products of its own establishment only. */
	test_create_fails(st, &est_a, "products",
		     json_pack("{s:I,s:s,s:s}", "establishment_id", (json_int_t)W.est_b, "name",
			       "x", "category", "other"),
		     ERR_INVALID, "establishment_id");
	test_create_ok(st, &est_a, "products",
		  json_pack("{s:I,s:s,s:s}", "establishment_id", (json_int_t)W.est_a, "name",
			    "Nghệ viên mật ong thử nghiệm", "category", "food"));
	/* It cannot read or change the other maker's records. */
	json_t *r = NULL;
	assert_int_equal(record_get(st, &est_a, entity_find("products"), W.prod_b, &r, &e),
			 ERR_FORBIDDEN);
	json_t *ch = json_pack("{s:s}", "name", "đổi tên");
	assert_int_equal(record_update(st, &est_a, entity_find("products"), W.prod_b, ch, -1, &e),
			 ERR_FORBIDDEN);
	assert_int_equal(record_check_write(st, &est_a, entity_find("products"), W.prod_b, &e),
			 ERR_FORBIDDEN);
	assert_int_equal(record_check_write(st, &est_a, entity_find("products"), W.prod_a, &e), 0);
	json_decref(ch);

	/* Province staff: their province's products and lots. */
	assert_int_equal(record_check_write(st, &hy, entity_find("products"), W.prod_a, &e), 0);
	assert_int_equal(record_check_write(st, &hn, entity_find("products"), W.prod_a, &e),
			 ERR_FORBIDDEN);
	assert_int_equal(record_get(st, &hn, entity_find("lots"), own, &r, &e), ERR_FORBIDDEN);
	json_t *hn_lot = json_pack("{s:I,s:s,s:s}", "product_id", (json_int_t)W.prod_a, "lot_code",
				   "HN-1", "production_date", "01/04/2025");
	test_create_fails(st, &hn, "lots", hn_lot, ERR_INVALID, "product_id");
	json_t *hn_own = json_pack("{s:I,s:s,s:s}", "product_id", (json_int_t)W.prod_b, "lot_code",
				   "HN-2", "production_date", "01/04/2025");
	test_create_ok(st, &hn, "lots", hn_own);

	/* The establishment's list of lots holds its own only. */
	struct list_query qy = {.limit = 100};
	json_t *items;
	int64_t total;
	assert_int_equal(record_list(st, &est_a, entity_find("lots"), &qy, &items, &total, &e), 0);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) assert_int_equal(
		json_integer_value(json_object_get(it, "establishment_id")), W.est_a);
	assert_true(total >= 2);
	json_decref(items);
}

/* ---- photos ---------------------------------------------------------- */

static unsigned char *image(const char *kind, size_t n)
{
	unsigned char *d = calloc(1, n);
	if (!strcmp(kind, "png")) {
		memcpy(d, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
	} else if (!strcmp(kind, "jpeg")) {
		memcpy(d, "\xFF\xD8\xFF\xE0\0\x10JFIF", 10);
	} else if (!strcmp(kind, "webp")) {
		memcpy(d, "RIFF\0\0\0\0WEBPVP8 ", 16);
	} else if (!strcmp(kind, "elf")) {
		memcpy(d,
		       "\x7F"
		       "ELF\x02\x01\x01",
		       7);
	} else if (!strcmp(kind, "gif")) {
		memcpy(d, "GIF89a", 6);
	}
	return d;
}

static void test_photos(void **state)
{
	struct store *st = *state;
	unsigned char *png = image("png", 200), *jpg = image("jpeg", 200),
		      *webp = image("webp", 200);
	unsigned char *elf = image("elf", 200), *gif = image("gif", 200);
	assert_string_equal(photo_sniff(png, 200), "image/png");
	assert_string_equal(photo_sniff(jpg, 200), "image/jpeg");
	assert_string_equal(photo_sniff(webp, 200), "image/webp");
	assert_null(photo_sniff(elf, 200));
	assert_null(photo_sniff(gif, 200));
	assert_null(photo_sniff(png, 8)); /* a signature alone is no image */

	struct err e;
	int64_t id = 0;
	assert_int_equal(photo_add(st, &admin, W.prod_a, png, 200, &id, &e), 0);
	struct photo ph;
	assert_int_equal(photo_get(st, id, &ph, &e), 0);
	assert_int_equal(ph.size, 200);
	assert_memory_equal(ph.data, png, 200);
	assert_string_equal(ph.content_type, "image/png");
	assert_int_equal(strlen(ph.sha256), 64);
	photo_free(&ph);
	assert_int_equal(photo_add(st, &admin, W.prod_a, elf, 200, &id, &e), ERR_INVALID);
	assert_string_equal(e.field, "file");
	assert_int_equal(photo_add(st, &admin, W.prod_a, gif, 200, &id, &e), ERR_INVALID);
	unsigned char *big = image("jpeg", PHOTO_MAX_BYTES + 1);
	assert_int_equal(photo_add(st, &admin, W.prod_a, big, PHOTO_MAX_BYTES + 1, &id, &e),
			 ERR_TOOBIG);
	free(big);

	/* Only who may change the product adds its photos. */
	struct actor est_b = test_actor(ROLE_ESTABLISHMENT, NULL, W.est_b);
	struct actor viewer = test_actor(ROLE_VIEWER, "33", 0);
	assert_int_equal(photo_add(st, &est_b, W.prod_a, jpg, 200, &id, &e), ERR_FORBIDDEN);
	assert_int_equal(photo_add(st, &viewer, W.prod_a, jpg, 200, &id, &e), ERR_FORBIDDEN);
	assert_int_equal(photo_add(st, &admin, 999999, jpg, 200, &id, &e), ERR_NOTFOUND);
	int64_t mine;
	assert_int_equal(photo_add(st, &est_b, W.prod_b, webp, 200, &mine, &e), 0);
	assert_int_equal(photo_remove(st, &est_b, W.prod_a, id, &e), ERR_FORBIDDEN);
	assert_int_equal(photo_remove(st, &est_b, W.prod_b, mine, &e), 0);
	assert_int_equal(photo_get(st, mine, &ph, &e), ERR_NOTFOUND); /* gone from view ... */
	assert_int_equal(test_count(st,
				    "SELECT COUNT(*) FROM product_photos WHERE removed_at IS NOT "
				    "NULL"),
			 1); /* ... kept in the database, and audited */
	assert_true(test_count(st, "SELECT COUNT(*) FROM audit WHERE entity = 'product-photos'") >=
		    3);
	assert_int_equal(photo_remove(st, &est_b, W.prod_b, mine, &e), ERR_NOTFOUND);

	/* A photo of an export is put back as it was (import --all), checked by
	 * content like an upload, the photo as sent too; administrators only. */
	struct actor cli;
	actor_cli(&cli);
	const char *at = "2024-01-02T03:04:05Z";
	assert_int_equal(photo_restore(st, &cli, W.prod_b, elf, 200, NULL, 0, at, "htx", &id, &e),
			 ERR_INVALID);
	assert_int_equal(photo_restore(st, &cli, W.prod_b, png, 200, elf, 200, at, "htx", &id, &e),
			 ERR_INVALID);
	assert_int_equal(photo_restore(st, &est_b, W.prod_b, png, 200, NULL, 0, at, "htx", &id, &e),
			 ERR_FORBIDDEN);
	assert_int_equal(photo_restore(st, &cli, W.prod_b, png, 100, png, 200, at, "htx", &id, &e),
			 0);
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM product_photos WHERE id = %lld AND created_at = '%s' AND"
		 " created_by = 'htx' AND bytes = 100 AND original_bytes = 200",
		 (long long)id, at);
	assert_int_equal(test_count(st, sql), 1);
	assert_int_equal(photo_get(st, id, &ph, &e), 0);
	assert_memory_equal(ph.data, png, 100);
	photo_free(&ph);
	assert_int_equal(photo_remove(st, &est_b, W.prod_b, id, &e), 0);

	/* At most PHOTO_MAX_PER_PRODUCT live photos. */
	int64_t n = test_count(st, "SELECT COUNT(*) FROM product_photos WHERE removed_at IS NULL");
	for (int64_t k = n; k < PHOTO_MAX_PER_PRODUCT; k++)
		assert_int_equal(photo_add(st, &admin, W.prod_a, jpg, 200, &id, &e), 0);
	assert_int_equal(photo_add(st, &admin, W.prod_a, jpg, 200, &id, &e), ERR_TOOBIG);
	free(png);
	free(jpg);
	free(webp);
	free(elf);
	free(gif);
}

/* ---- the public catalogue -------------------------------------------- */

static void test_catalogue(void **state)
{
	struct store *st = *state;
	struct err e;
	json_t *o = NULL;
	/* Unpublished products and their lots are not public. */
	assert_int_equal(catalogue_product(st, W.prod_b, &o, &e), ERR_NOTFOUND);
	assert_int_equal(catalogue_product(st, W.prod_a, &o, &e), 0);
	char *text = json_dumps(o, 0);
	assert_null(strstr(text, "ghi-chu")); /* notes, */
	assert_null(strstr(text, "0912"));    /* phones, */
	assert_null(strstr(text, "illustrative"));
	assert_non_null(strstr(text, "example.com/shop/a")); /* the maker's channels, when the
								 product has none */
	free(text);
	json_decref(o);

	struct catalogue_query q = {.q = "tinh bot nghe", .limit = 10};
	json_t *items;
	int64_t total;
	assert_int_equal(catalogue_list(st, &q, &items, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")),
			 W.prod_a);
	json_decref(items);
	struct catalogue_query none = {.q = "gio may", .limit = 10};
	assert_int_equal(catalogue_list(st, &none, &items, &total, &e), 0);
	assert_int_equal(total, 0); /* a draft */
	json_decref(items);
	struct catalogue_query filt = {.province = "33",
				       .level = "province",
				       .category = "food",
				       .year = 2024,
				       .limit = 10};
	assert_int_equal(catalogue_list(st, &filt, &items, &total, &e), 0);
	assert_int_equal(total, 1);
	json_decref(items);
	filt.level = "national";
	assert_int_equal(catalogue_list(st, &filt, &items, &total, &e), 0);
	assert_int_equal(total, 0);
	json_decref(items);

	assert_int_equal(catalogue_lot(st, W.lot_a, &o, &e), 0);
	assert_int_equal(json_array_size(json_object_get(o, "events")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "product"), "id")),
			 W.prod_a);
	json_decref(o);
	int64_t lot = 0;
	assert_int_equal(catalogue_lot_find(st, "04006381333931", "A-2025-01", &lot, &e), 0);
	assert_int_equal(lot, W.lot_a);
	assert_int_equal(catalogue_lot_find(st, "04006381333931", "A-2025-99", &lot, &e),
			 ERR_NOTFOUND);
	assert_int_equal(catalogue_establishment(st, W.est_a, &o, &e), 0);
	json_decref(o);
	assert_int_equal(catalogue_establishment(st, W.est_b, &o, &e), ERR_NOTFOUND);
	assert_int_equal(catalogue_awards(st, 0, NULL, NULL, 0, &o, &e), 0);
	assert_true(json_array_size(o) >= 2);
	json_decref(o);
}

/* ---- drawing --------------------------------------------------------- */

static void test_qr_and_labels(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct err e;
	assert_int_equal(qr_svg("https://kc.example.vn/t/1?s=abc", 256, &b, &e), 0);
	assert_non_null(strstr(buf_cstr(&b), "<svg"));
	buf_reset(&b);
	assert_int_equal(qr_png("https://kc.example.vn/t/1?s=abc", 4, &b, &e), 0);
	assert_memory_equal(b.data, "\x89PNG", 4);
	size_t len = b.len;
	assert_int_equal(qr_png("", 4, &b, &e), ERR_INVALID);
	assert_int_equal(qr_png("x", 0, &b, &e), ERR_INVALID);
	assert_int_equal(b.len, len);
	buf_reset(&b);

	assert_true(labels_per_page(30) >= 20);
	assert_true(labels_per_page(90) >= 2);
	assert_int_equal(labels_per_page(10), 0);
	struct label_sheet ls = {.url = "https://kc.example.vn/t/1?s=abc",
				 .product = "Tinh bột nghệ Hoàng Minh Châu",
				 .lot = "HMC-2025-031",
				 .qr_mm = 30,
				 .count = labels_per_page(30) + 1};
	assert_int_equal(labels_pdf(&ls, &b, &e), 0);
	assert_memory_equal(b.data, "%PDF", 4);
	buf_reset(&b);
	ls.qr_mm = 100;
	assert_int_equal(labels_pdf(&ls, &b, &e), ERR_INVALID);
	assert_string_equal(e.field, "size");
	ls.qr_mm = 30;
	ls.count = 0;
	assert_int_equal(labels_pdf(&ls, &b, &e), ERR_INVALID);
	assert_string_equal(e.field, "count");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtin),
		cmocka_unit_test(test_lot_code),
		cmocka_unit_test(test_dlink),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_stored_key),
		cmocka_unit_test(test_base_url),
		cmocka_unit_test(test_products_and_lots),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_photos),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_qr_and_labels),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
