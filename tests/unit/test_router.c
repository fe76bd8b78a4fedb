/* test_router.c - in-process request tests: a built request goes through
 * router_dispatch() with no socket; plus router_match() and the route table. */
#include "testutil.h"

#include "core/secret.h"
#include "web/handlers.h"
#include "web/openapi.h"
#include "web/params.h"
#include "web/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "mat-khau-dai-1"

/* One exchange: the request, its response, and what to free. */
struct exchange {
	struct req r;
	struct resp w;
};

static struct store *db;

static int setup(void **state)
{
	(void)state;
	struct err e;
	if (secret_init(&e) != 0)
		return -1;
	db = test_store_new("router", NULL);
	struct actor cli;
	actor_cli(&cli);
	struct user_input root = {"root", "Root", "admin", NULL, 0};
	struct user_input view = {"xem", "Xem", "viewer", NULL, 0};
	if (user_add(db, &cli, &root, PW, NULL, &e) != 0 ||
	    user_add(db, &cli, &view, PW, NULL, &e) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(db);
	return 0;
}

static void ex_init(struct exchange *x, const char *method, const char *path)
{
	memset(x, 0, sizeof *x);
	x->r.arena = arena_new();
	x->r.method = method;
	x->r.path = path;
	x->r.addr = "127.0.0.1";
	x->r.body = "";
	x->r.st = db;
}

static void ex_header(struct exchange *x, const char *key, const char *value)
{
	assert_true(x->r.nheaders < REQ_MAX_KV);
	x->r.headers[x->r.nheaders].key = key;
	x->r.headers[x->r.nheaders].value = arena_strdup(x->r.arena, value);
	x->r.nheaders++;
}

static void ex_query(struct exchange *x, const char *key, const char *value)
{
	x->r.query[x->r.nquery].key = key;
	x->r.query[x->r.nquery].value = value;
	x->r.nquery++;
}

static void ex_body(struct exchange *x, const char *content_type, const char *body)
{
	ex_header(x, "Content-Type", content_type);
	x->r.body = body;
	x->r.body_len = strlen(body);
}

static const char *ex_run(struct exchange *x)
{
	router_dispatch(&x->r, &x->w);
	resp_offload_here(&x->r, &x->w);
	resp_drain(&x->w); /* a streamed body (list exports) made whole */
	return buf_cstr(&x->w.body);
}

static void ex_free(struct exchange *x)
{
	json_decref(x->r.json);
	buf_free(&x->w.body);
	arena_free(x->r.arena);
}

static const char *resp_get(const struct resp *w, const char *name)
{
	for (int i = 0; i < w->nheaders; i++)
		if (!strcmp(w->headers[i].key, name))
			return w->headers[i].value;
	return NULL;
}

/* Parses the JSON body and returns error.code (or NULL); caller decrefs *out. */
static const char *error_code(struct exchange *x, json_t **out)
{
	json_error_t je;
	*out = json_loads(buf_cstr(&x->w.body), 0, &je);
	if (!*out)
		fail_msg("response is not JSON: %s", buf_cstr(&x->w.body));
	return json_string_value(json_object_get(json_object_get(*out, "error"), "code"));
}

static void test_healthz(void **state)
{
	(void)state;
	struct exchange x;
	ex_init(&x, "GET", "/healthz");
	int64_t before = store_queries(db);
	const char *body = ex_run(&x);
	assert_int_equal(x.w.status, 200);
	/* one statement, and no DDL (a CREATE TABLE IF NOT EXISTS was one more) */
	assert_int_equal(store_queries(db) - before, 1);
	assert_non_null(strstr(body, "\"status\":\"ok\""));
	assert_non_null(strstr(x.w.content_type, "application/json"));
	json_t *j = json_loads(body, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "schema")), store_schema_latest());
	assert_string_equal(json_string_value(json_object_get(j, "version")), KC_VERSION);
	json_decref(j);
	assert_string_equal(resp_get(&x.w, "Cache-Control"), "no-store");
	assert_ptr_equal(x.r.route, &routes[0]);
	ex_free(&x);

	/* HEAD is answered by the GET route. */
	ex_init(&x, "HEAD", "/healthz");
	ex_run(&x);
	assert_int_equal(x.w.status, 200);
	ex_free(&x);
}

static void test_not_found(void **state)
{
	(void)state;
	struct exchange x;
	json_t *j;
	ex_init(&x, "GET", "/nope");
	ex_header(&x, "Accept", "application/json");
	ex_run(&x);
	assert_int_equal(x.w.status, 404);
	assert_string_equal(error_code(&x, &j), "not_found");
	assert_null(x.r.route);
	json_decref(j);
	ex_free(&x);

	/* Under /api/ JSON is the default. */
	ex_init(&x, "GET", "/api/v1/nope");
	ex_run(&x);
	assert_int_equal(x.w.status, 404);
	assert_string_equal(error_code(&x, &j), "not_found");
	json_decref(j);
	ex_free(&x);

	/* A browser gets an HTML page. */
	ex_init(&x, "GET", "/nope");
	ex_header(&x, "Accept", "text/html");
	const char *body = ex_run(&x);
	assert_int_equal(x.w.status, 404);
	assert_non_null(strstr(x.w.content_type, "text/html"));
	assert_non_null(strstr(body, "<html"));
	ex_free(&x);

	/* A parameter segment does not match an empty or deeper path. */
	ex_init(&x, "GET", "/static/");
	ex_run(&x);
	assert_int_equal(x.w.status, 404);
	ex_free(&x);
}

static void test_method_not_allowed(void **state)
{
	(void)state;
	struct exchange x;
	json_t *j;
	ex_init(&x, "POST", "/healthz");
	ex_header(&x, "Accept", "application/json");
	ex_run(&x);
	assert_int_equal(x.w.status, 405);
	assert_string_equal(error_code(&x, &j), "method_not_allowed");
	json_decref(j);
	assert_string_equal(resp_get(&x.w, "Allow"), "GET");
	ex_free(&x);

	/* Several methods are listed. */
	ex_init(&x, "PUT", "/api/v1/session");
	ex_run(&x);
	assert_int_equal(x.w.status, 405);
	const char *allow = resp_get(&x.w, "Allow");
	assert_non_null(allow);
	assert_non_null(strstr(allow, "POST"));
	assert_non_null(strstr(allow, "GET"));
	assert_non_null(strstr(allow, "DELETE"));
	ex_free(&x);
}

static void test_bad_bodies(void **state)
{
	(void)state;
	struct exchange x;
	json_t *j;

	ex_init(&x, "POST", "/api/v1/session");
	ex_body(&x, "application/json", "{bad");
	ex_run(&x);
	assert_int_equal(x.w.status, 400);
	assert_string_equal(error_code(&x, &j), "invalid_json");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "error"), "field")), "body");
	json_decref(j);
	assert_null(x.r.json);
	ex_free(&x);

	/* Valid JSON that is not an object. */
	ex_init(&x, "POST", "/api/v1/session");
	ex_body(&x, "application/json", "[1,2]");
	ex_run(&x);
	assert_int_equal(x.w.status, 400);
	assert_string_equal(error_code(&x, &j), "invalid_json");
	json_decref(j);
	ex_free(&x);

	/* Duplicate keys are refused. */
	ex_init(&x, "POST", "/api/v1/session");
	ex_body(&x, "application/json", "{\"username\":\"a\",\"username\":\"b\"}");
	ex_run(&x);
	assert_int_equal(x.w.status, 400);
	assert_string_equal(error_code(&x, &j), "invalid_json");
	json_decref(j);
	ex_free(&x);

	/* An undeclared body field. */
	ex_init(&x, "POST", "/api/v1/session");
	ex_body(&x, "application/json",
		"{\"username\":\"root\",\"password\":\"x\",\"admin\":true}");
	ex_run(&x);
	assert_int_equal(x.w.status, 400);
	assert_string_equal(error_code(&x, &j), "invalid");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "error"), "field")), "admin");
	json_decref(j);
	ex_free(&x);

	/* The wrong media type. */
	ex_init(&x, "POST", "/api/v1/session");
	ex_body(&x, "text/plain", "{\"username\":\"root\"}");
	ex_run(&x);
	assert_int_equal(x.w.status, 415);
	ex_free(&x);

	/* Missing fields reach the handler, which names the field. */
	ex_init(&x, "POST", "/api/v1/session");
	ex_body(&x, "application/json", "{\"username\":\"root\"}");
	ex_run(&x);
	assert_int_equal(x.w.status, 400);
	assert_string_equal(error_code(&x, &j), "invalid");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "error"), "field")),
		"password");
	json_decref(j);
	ex_free(&x);
}

static void test_undeclared_query(void **state)
{
	(void)state;
	struct exchange x;
	json_t *j;
	ex_init(&x, "GET", "/healthz");
	ex_query(&x, "x", "1");
	ex_header(&x, "Accept", "application/json");
	ex_run(&x);
	assert_int_equal(x.w.status, 400);
	assert_string_equal(error_code(&x, &j), "invalid");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "error"), "field")), "x");
	json_decref(j);
	ex_free(&x);

	/* A declared one passes the check (and then needs a login). */
	ex_init(&x, "GET", "/api/v1/audit");
	ex_query(&x, "entity", "user");
	ex_run(&x);
	assert_int_equal(x.w.status, 401);
	ex_free(&x);

	/* Too long a value. */
	char *big = malloc(PARAM_VALUE_LIMIT + 2);
	memset(big, 'a', PARAM_VALUE_LIMIT + 1);
	big[PARAM_VALUE_LIMIT + 1] = 0;
	ex_init(&x, "GET", "/api/v1/audit");
	ex_query(&x, "entity", big);
	ex_run(&x);
	assert_int_equal(x.w.status, 413);
	ex_free(&x);
	free(big);
}

/* The API's query parameters are declared once (params.c): the router
 * refuses a value out of range, not one of the words, not a province, a day
 * or a code, naming it, before any handler (here before the login), and the
 * OpenAPI document states the same range, words or pattern. */
static void test_declared_integers(void **state)
{
	(void)state;
	static const char *const list[] = {"page",    "per_page", "year", "year_from",
					   "year_to", "order",	  "units"};
	json_t *doc = openapi_document();
	int checked = 0;
	for (const struct route *rt = routes; rt->method; rt++) {
		const char *path = !strcmp(rt->pattern, "/api/v1/{collection}") ? "/api/v1/projects"
										: rt->pattern;
		if (strcmp(rt->method, "GET") || strncmp(path, "/api/v1/", 8) ||
		    strchr(path, '{') || !rt->query)
			continue;
		for (size_t i = 0; i < sizeof list / sizeof list[0] + 40; i++) {
			char name[40] = "";
			if (!strcmp(rt->query, "*") && i < sizeof list / sizeof list[0])
				snprintf(name, sizeof name, "%s", list[i]);
			else if (strcmp(rt->query, "*")) { /* the i-th name of the list */
				const char *p = rt->query;
				for (size_t k = 0; p && k < i; k++)
					p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
				if (p)
					snprintf(name, sizeof name, "%.*s", (int)strcspn(p, ","),
						 p);
			}
			const struct query_param *qp = query_param_find(name, rt->handler);
			if (!qp || qp->type == QP_STRING) /* the model checks those */
				continue;
			char bad[32];
			snprintf(bad, sizeof bad, "%lld",
				 (long long)qp->max + (qp->max < INT64_MAX));
			struct exchange x;
			json_t *j;
			ex_init(&x, "GET", path);
			ex_query(&x, name,
				 qp->type != QP_INT || qp->choices ? "x"
				 : qp->max < INT64_MAX		   ? bad
								   : "x");
			ex_header(&x, "Accept", "application/json");
			ex_run(&x);
			if (x.w.status != 400)
				fail_msg("%s?%s=%s: %d", path, name, bad, x.w.status);
			assert_string_equal(error_code(&x, &j), "invalid");
			assert_string_equal(json_string_value(json_object_get(
						    json_object_get(j, "error"), "field")),
					    name);
			json_decref(j);
			ex_free(&x);
			/* The document says the same range. */
			json_t *ps = json_object_get(
				json_object_get(
					json_object_get(json_object_get(doc, "paths"), rt->pattern),
					"get"),
				"parameters");
			size_t k;
			json_t *prm;
			int found = 0;
			json_array_foreach(ps, k, prm)
			{
				if (strcmp(json_string_value(json_object_get(prm, "name")), name))
					continue;
				json_t *sc = json_object_get(prm, "schema");
				if (qp->type != QP_INT) { /* a pattern or codes, not "x" */
					const char *pat =
						json_string_value(json_object_get(sc, "pattern"));
					json_t *codes = json_object_get(sc, "enum");
					assert_true(qp->type == QP_DATE || pat || codes);
					assert_false(pat && !strcmp(pat, "x"));
					/* Its words or province pattern, no default word. */
					assert_null(json_object_get(sc, "default"));
					assert_true(pat || (qp->type != QP_PROVINCE &&
							    qp->type != QP_OLD_PROVINCE));
					found = 1;
					continue;
				}
				if (qp->choices) { /* the words, the first by default */
					json_t *e0 = json_array_get(json_object_get(sc, "enum"), 0);
					assert_true(json_equal(e0, json_object_get(sc, "default")));
					assert_non_null(strstr(qp->choices, json_string_value(e0)));
					found = 1;
					continue;
				}
				assert_int_equal(json_integer_value(json_object_get(sc, "maximum")),
						 qp->max);
				assert_int_equal(json_integer_value(json_object_get(sc, "minimum")),
						 qp->min);
				found = 1;
			}
			if (!found && strcmp(rt->query, "*"))
				fail_msg("%s: %s is not in the document", rt->pattern, name);
			checked++;
		}
	}
	json_decref(doc);
	assert_true(checked >= 70);
	/* The names the units, statistics, chain and report handlers read are
	 * among them: declared, not read raw (and the chain's year is 2000..). */
	static const char *const names[] = {
		"era",		"level",   "period_kind",	 "year",
		"content_type", "funding", "establishment_kind", "number",
		"format"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		assert_non_null(query_param_find(names[i], i < 2   ? h_api_units_list
							   : i < 4 ? h_api_consolidated
							   : i < 7 ? h_api_stats
								   : h_api_report));
	assert_int_equal(query_param_find("year", h_api_reporting_status)->min, 2000);
	/* The units of the old era are searched by an old province (36, Nam
	 * Định): no province of today, and no 400 for it. */
	struct exchange x;
	ex_init(&x, "GET", "/api/v1/units");
	ex_query(&x, "era", "old");
	ex_query(&x, "province", "36");
	ex_run(&x);
	assert_int_equal(x.w.status, 401);
	ex_free(&x);
}

static void test_auth_required(void **state)
{
	(void)state;
	struct exchange x;
	json_t *j;
	ex_init(&x, "GET", "/api/v1/users");
	ex_run(&x);
	assert_int_equal(x.w.status, 401);
	assert_string_equal(error_code(&x, &j), "unauthorized");
	json_decref(j);
	assert_false(x.r.authed);
	ex_free(&x);

	/* A made-up bearer token is no better. */
	ex_init(&x, "GET", "/api/v1/users");
	ex_header(&x, "Authorization", "Bearer not-a-real-token-at-all");
	ex_run(&x);
	assert_int_equal(x.w.status, 401);
	ex_free(&x);

	/* A page redirects to the login form, keeping where it was going. */
	ex_init(&x, "GET", "/admin/users");
	ex_header(&x, "Accept", "text/html");
	ex_run(&x);
	assert_int_equal(x.w.status, 303);
	assert_string_equal(resp_get(&x.w, "Location"), "/login?next=%2Fadmin%2Fusers");
	ex_free(&x);
}

/* Logs in through the API and returns the token (caller frees) and csrf. */
static char *api_login(const char *username, char csrf[TOKEN_TEXT])
{
	struct exchange x;
	ex_init(&x, "POST", "/api/v1/session");
	char body[200];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", username, PW);
	ex_body(&x, "application/json", body);
	ex_run(&x);
	if (x.w.status != 201)
		fail_msg("login %s: %d %s", username, x.w.status, buf_cstr(&x.w.body));
	json_t *j = json_loads(buf_cstr(&x.w.body), 0, NULL);
	assert_non_null(j);
	const char *token = json_string_value(json_object_get(j, "token"));
	assert_non_null(token);
	assert_int_equal(strlen(token), 43);
	char *out = xstrdup(token);
	snprintf(csrf, TOKEN_TEXT, "%s", json_string_value(json_object_get(j, "csrf")));
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "user"), "username")),
		username);
	/* The session cookie is set too. */
	const char *cookie = resp_get(&x.w, "Set-Cookie");
	assert_non_null(cookie);
	assert_non_null(strstr(cookie, "kc_session="));
	assert_non_null(strstr(cookie, token));
	assert_non_null(strstr(cookie, "HttpOnly"));
	json_decref(j);
	ex_free(&x);
	return out;
}

/* The health check and the static files read no session, even when the
 * request carries a token (a client that sends it everywhere): one
 * statement for /healthz, none for a stylesheet (one more each before). */
static void test_sessionless_routes(void **state)
{
	(void)state;
	char csrf[TOKEN_TEXT], auth[100], cookie[100];
	char *token = api_login("root", csrf);
	snprintf(auth, sizeof auth, "Bearer %s", token);
	snprintf(cookie, sizeof cookie, "kc_session=%s", token);
	const char *paths[] = {"/healthz", "/static/app.css"};
	const int64_t want[] = {1, 0};
	for (int i = 0; i < 2; i++) {
		struct exchange x;
		ex_init(&x, "GET", paths[i]);
		ex_header(&x, i ? "Cookie" : "Authorization", i ? cookie : auth);
		int64_t before = store_queries(db);
		ex_run(&x);
		assert_int_equal(x.w.status, 200);
		assert_int_equal(store_queries(db) - before, want[i]);
		assert_false(x.r.authed);
		assert_false(store_reading(db)); /* its read transaction ended */
		ex_free(&x);
	}
	free(token);
}

/* Between store_read_begin and store_read_end a connection's statements
 * read one snapshot on SQLite (one read transaction, not one each); a
 * write inside ends it first and commits on its own, even when another
 * connection wrote since the snapshot began; a loop over rows outlives its
 * end. Nothing happens on PostgreSQL (no round trip added). */
static void test_read_snapshot(void **state)
{
	(void)state;
	struct err e;
	struct store *other;
	assert_int_equal(store_open_again(db, &other, &e), 0);
	assert_int_equal(store_exec(db, "CREATE TABLE snap (x INTEGER)", &e), 0);
	int sqlite = !strcmp(test_dialect(), "sqlite");
	store_read_begin(db);
	assert_int_equal(store_reading(db), sqlite);
	assert_int_equal(test_count(db, "SELECT COUNT(*) FROM snap"), 0);
	assert_int_equal(store_run(other, &e, "INSERT INTO snap (x) VALUES (1)", ""), 0);
	assert_int_equal(test_count(db, "SELECT COUNT(*) FROM snap"), sqlite ? 0 : 1);
	/* A write ends the read transaction, then takes the write lock. */
	assert_int_equal(store_begin(db, &e), 0);
	assert_false(store_reading(db));
	assert_int_equal(store_run(db, &e, "INSERT INTO snap (x) VALUES (2)", ""), 0);
	assert_int_equal(store_commit(db, &e), 0);
	assert_int_equal(test_count(db, "SELECT COUNT(*) FROM snap"), 2);
	assert_int_equal(test_count(other, "SELECT COUNT(*) FROM snap"), 2);
	/* A statement that is not a SELECT ends it too, and commits. */
	store_read_begin(db);
	assert_int_equal(test_count(db, "SELECT COUNT(*) FROM snap"), 2);
	assert_int_equal(store_run(db, &e, "UPDATE snap SET x = x + 10", ""), 0);
	assert_false(store_reading(db));
	assert_int_equal(test_count(other, "SELECT SUM(x) FROM snap"), 23);
	/* A loop begun inside goes on after the end. */
	store_read_begin(db);
	struct stmt *s = store_prepare(db, "SELECT x FROM snap ORDER BY x", &e);
	assert_non_null(s);
	assert_int_equal(stmt_step(s, &e), 1);
	store_read_end(db);
	assert_false(store_reading(db));
	assert_int_equal(stmt_step(s, &e), 1);
	assert_int_equal(stmt_int(s, 0), 12);
	assert_int_equal(stmt_step(s, &e), 0);
	stmt_done(s);
	assert_int_equal(store_run(other, &e, "DROP TABLE snap", ""), 0);
	store_close(other);
}

/* A list export is streamed a part at a time (its own connection, a cursor)
 * and carries every matching row, however many parts that takes. */
static void test_list_export_streams(void **state)
{
	(void)state;
	char csrf[TOKEN_TEXT];
	char *admin = api_login("root", csrf);
	char auth[100];
	struct err e;
	assert_int_equal(
		store_exec(db,
			   "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE"
			   " i < 700) INSERT INTO establishments (version, created_at, updated_at,"
			   " province_code, search_key, name, kind) SELECT 1, '2025-01-01T00:00:00Z',"
			   " '2025-01-01T00:00:00Z', '01', 'co so ' || i, 'Cơ sở ' || i, 'household'"
			   " FROM s",
			   &e),
		0);
	int64_t n = 0;
	assert_int_equal(store_int(db, &e, &n, "SELECT COUNT(*) FROM establishments", ""), 1);
	struct exchange x;
	ex_init(&x, "GET", "/establishments");
	ex_query(&x, "format", "csv");
	snprintf(auth, sizeof auth, "Bearer %s", admin);
	ex_header(&x, "Authorization", auth);
	router_dispatch(&x.r, &x.w);
	assert_int_equal(x.w.status, 200);
	assert_non_null(x.w.fill); /* not built whole */
	assert_int_equal(x.w.body.len, 0);
	assert_int_equal(resp_drain(&x.w), 0);
	int64_t lines = 0;
	for (size_t i = 0; i < x.w.body.len; i++)
		lines += x.w.body.data[i] == '\n';
	assert_int_equal(lines, n + 1); /* the header, then every record */
	assert_non_null(strstr(buf_cstr(&x.w.body), "\"Cơ sở 700\""));
	ex_free(&x);
	free(admin);
}

static void test_bearer_and_roles(void **state)
{
	(void)state;
	char csrf[TOKEN_TEXT];
	char *admin = api_login("root", csrf);
	char *viewer = api_login("xem", csrf);
	char auth[100];
	struct exchange x;

	ex_init(&x, "GET", "/api/v1/users");
	snprintf(auth, sizeof auth, "Bearer %s", admin);
	ex_header(&x, "Authorization", auth);
	ex_run(&x);
	assert_int_equal(x.w.status, 200);
	assert_true(x.r.authed);
	assert_string_equal(x.r.actor.username, "root");
	json_t *j = json_loads(buf_cstr(&x.w.body), 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	json_decref(j);
	ex_free(&x);

	/* A viewer is logged in but not an administrator. */
	ex_init(&x, "GET", "/api/v1/users");
	snprintf(auth, sizeof auth, "Bearer %s", viewer);
	ex_header(&x, "Authorization", auth);
	ex_run(&x);
	assert_int_equal(x.w.status, 403);
	assert_true(x.r.authed);
	ex_free(&x);

	/* ...but may see their own session: the session and its user are read
	 * in one statement. */
	ex_init(&x, "GET", "/api/v1/session");
	ex_header(&x, "Authorization", auth);
	int64_t before = store_queries(db);
	ex_run(&x);
	assert_int_equal(store_queries(db) - before, 1);
	assert_int_equal(x.w.status, 200);
	assert_non_null(strstr(buf_cstr(&x.w.body), "\"username\":\"xem\""));
	ex_free(&x);

	/* Bearer requests need no CSRF token: logging out works directly. */
	ex_init(&x, "DELETE", "/api/v1/session");
	ex_header(&x, "Authorization", auth);
	ex_run(&x);
	assert_int_equal(x.w.status, 204);
	ex_free(&x);
	ex_init(&x, "GET", "/api/v1/session");
	ex_header(&x, "Authorization", auth);
	ex_run(&x);
	assert_int_equal(x.w.status, 401);
	ex_free(&x);

	free(admin);
	free(viewer);
}

static void test_cookie_needs_csrf(void **state)
{
	(void)state;
	char csrf[TOKEN_TEXT];
	char *token = api_login("root", csrf);
	char cookie[120];
	snprintf(cookie, sizeof cookie, "kc_lang=en; kc_session=%s", token);
	struct exchange x;
	json_t *j;

	/* Reads through the cookie need no token. */
	ex_init(&x, "GET", "/api/v1/session");
	ex_header(&x, "Cookie", cookie);
	ex_run(&x);
	assert_int_equal(x.w.status, 200);
	assert_true(x.r.via_cookie);
	ex_free(&x);

	/* An unsafe method without the CSRF header is refused... */
	ex_init(&x, "DELETE", "/api/v1/session");
	ex_header(&x, "Cookie", cookie);
	ex_run(&x);
	assert_int_equal(x.w.status, 403);
	assert_string_equal(error_code(&x, &j), "csrf");
	json_decref(j);
	ex_free(&x);

	/* ...as with a wrong one... */
	ex_init(&x, "DELETE", "/api/v1/session");
	ex_header(&x, "Cookie", cookie);
	ex_header(&x, "X-CSRF-Token", "wrong");
	ex_run(&x);
	assert_int_equal(x.w.status, 403);
	ex_free(&x);

	/* ...and allowed with the right one. */
	ex_init(&x, "DELETE", "/api/v1/session");
	ex_header(&x, "Cookie", cookie);
	ex_header(&x, "X-CSRF-Token", csrf);
	ex_run(&x);
	assert_int_equal(x.w.status, 204);
	ex_free(&x);
	free(token);
}

static void test_router_match(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *params[REQ_MAX_PARAMS] = {0};
	assert_true(router_match(a, "/api/v1/users/{username}", "/api/v1/users/bob", params));
	assert_string_equal(params[0], "bob");
	assert_false(router_match(a, "/api/v1/users/{username}", "/api/v1/users/bob/x", NULL));
	assert_false(router_match(a, "/api/v1/users/{username}", "/api/v1/users/", NULL));
	assert_false(router_match(a, "/api/v1/users/{username}", "/api/v1/users", NULL));
	assert_false(router_match(a, "/api/v1/users/{username}", "/api/v1/userss/bob", NULL));
	assert_true(router_match(a, "/healthz", "/healthz", NULL));
	assert_false(router_match(a, "/healthz", "/healthz/", NULL));
	assert_false(router_match(a, "/healthz", "/health", NULL));
	assert_false(router_match(a, "/", "/x", NULL));
	assert_true(router_match(a, "/", "/", NULL));

	const char *two[REQ_MAX_PARAMS] = {0};
	assert_true(router_match(a, "/a/{x}/b/{y}", "/a/1/b/two", two));
	assert_string_equal(two[0], "1");
	assert_string_equal(two[1], "two");
	assert_false(router_match(a, "/a/{x}/b/{y}", "/a//b/two", NULL));
	assert_false(router_match(a, "/a/{x}/b/{y}", "/a/1/c/two", NULL));
	arena_free(a);

	/* Through the dispatcher: the captured segment reaches the handler. */
	struct exchange x;
	ex_init(&x, "PATCH", "/api/v1/users/bob");
	ex_run(&x);
	assert_int_equal(x.w.status, 401);
	assert_non_null(x.r.route);
	assert_string_equal(x.r.route->pattern, "/api/v1/users/{username}");
	assert_string_equal(x.r.params[0], "bob");
	ex_free(&x);
}

static void test_route_table(void **state)
{
	(void)state;
	static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	int n = 0;
	for (const struct route *rt = routes; rt->method; rt++, n++) {
		int known = 0;
		for (size_t k = 0; k < sizeof methods / sizeof methods[0]; k++)
			known |= !strcmp(rt->method, methods[k]);
		if (!known)
			fail_msg("route %d: unknown method %s", n, rt->method);
		assert_non_null(rt->pattern);
		if (rt->pattern[0] != '/')
			fail_msg("route %s %s: pattern must start with /", rt->method, rt->pattern);
		if (!rt->handler)
			fail_msg("route %s %s: no handler", rt->method, rt->pattern);
		if (!rt->summary || !rt->summary[0])
			fail_msg("route %s %s: no summary", rt->method, rt->pattern);
		assert_true(rt->access <= ACCESS_ADMIN);
		/* Bodies only on methods that carry one. */
		if (!strcmp(rt->method, "GET"))
			assert_int_equal(rt->body, BODY_NONE);
		/* Pages under /admin and the user APIs are admin-only. */
		if (!strncmp(rt->pattern, "/admin", 6))
			assert_int_equal(rt->access, ACCESS_ADMIN);
		for (const struct route *o = routes; o < rt; o++)
			if (!strcmp(o->method, rt->method) && !strcmp(o->pattern, rt->pattern))
				fail_msg("route %s %s is declared twice", rt->method, rt->pattern);
	}
	assert_true(n > 0);

	/* The API index lists the same table. */
	struct exchange x;
	ex_init(&x, "GET", "/api/v1");
	ex_run(&x);
	assert_int_equal(x.w.status, 200);
	json_t *j = json_loads(buf_cstr(&x.w.body), 0, NULL);
	json_t *list = json_object_get(j, "routes");
	assert_int_equal(json_array_size(list), n);
	for (int i = 0; i < n; i++) {
		json_t *o = json_array_get(list, (size_t)i);
		assert_string_equal(json_string_value(json_object_get(o, "method")),
				    routes[i].method);
		assert_string_equal(json_string_value(json_object_get(o, "path")),
				    routes[i].pattern);
	}
	json_decref(j);
	ex_free(&x);
}

/* A record's HTML page (issue 17): the record is read once (not again for
 * the edit link's permission or the delete form), and each related list is
 * one cached statement, not a count and a page prepared afresh. */
/* The dashboard's national map section, its SVG drawn from a statistic by
 * province, and the HTML kept under that statistic's table versions: the
 * same page again reuses it, byte for byte; a write to the classes draws it
 * again with the new value (issue 17: it was 30 % of a warm dashboard). */
static char *map_section(const char *cookie)
{
	struct exchange x;
	ex_init(&x, "GET", "/dashboard");
	ex_header(&x, "Cookie", cookie);
	ex_header(&x, "Accept", "text/html");
	ex_query(&x, "from", "2019");
	ex_query(&x, "to", "2019");
	const char *body = ex_run(&x);
	assert_int_equal(x.w.status, 200);
	const char *from = strstr(body, "<figure class=\"map-figure\"");
	assert_non_null(from);
	const char *to = strstr(from, "</figure>");
	assert_non_null(to);
	char *map = strndup(from, (size_t)(to - from));
	ex_free(&x);
	return map;
}

static void test_dashboard_map_reused(void **state)
{
	(void)state;
	char csrf[TOKEN_TEXT];
	char *token = api_login("root", csrf);
	char cookie[120];
	snprintf(cookie, sizeof cookie, "kc_session=%s", token);
	char *first = map_section(cookie);
	unsigned long reused = map_sections_reused();
	char *again = map_section(cookie);
	assert_int_equal(map_sections_reused(), reused + 1);
	assert_string_equal(again, first);

	struct err e;
	assert_int_equal(store_exec(db,
				    "INSERT INTO training_classes (created_at, updated_at,"
				    " province_code, topic, year, trainees) VALUES"
				    " ('2019-05-01T00:00:00Z', '2019-05-01T00:00:00Z', '37',"
				    " 'Lớp bản đồ', 2019, 4321)",
				    &e),
			 0);
	char *after = map_section(cookie);
	assert_int_equal(map_sections_reused(), reused + 1);
	assert_null(strstr(first, "4.321"));
	assert_non_null(strstr(after, "4.321"));
	char *kept = map_section(cookie);
	assert_int_equal(map_sections_reused(), reused + 2);
	assert_string_equal(kept, after);
	free(first);
	free(again);
	free(after);
	free(kept);
	free(token);
}

static void test_html_detail_statements(void **state)
{
	(void)state;
	char csrf[TOKEN_TEXT];
	char *token = api_login("root", csrf);
	char cookie[120], path[64];
	snprintf(cookie, sizeof cookie, "kc_session=%s", token);
	struct err e;
	assert_int_equal(
		store_run(db, &e,
			  "INSERT INTO establishments (version, created_at, updated_at,"
			  " province_code, search_key, name, kind) VALUES (1,"
			  " '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '01', 'co so chi"
			  " tiet', 'Cơ sở chi tiết', 'household')",
			  ""),
		0);
	int64_t est = store_last_id(db);
	snprintf(path, sizeof path, "/establishments/%lld", (long long)est);
	char sql[400]; /* more products than a related list shows (200) */
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 201)"
		 " INSERT INTO products (created_at, updated_at, province_code, establishment_id,"
		 " name) SELECT '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '01', %lld,"
		 " 'Sản phẩm ' || i FROM s",
		 (long long)est);
	assert_int_equal(store_exec(db, sql, &e), 0);
	/* Its history, and another record's, which its page does not show. */
	snprintf(sql, sizeof sql,
		 "INSERT INTO audit (at, username, entity, entity_id, action, after_json) VALUES"
		 " ('2025-01-02T00:00:00Z', 'root', 'establishments', '%lld', 'update',"
		 " '{\"name\":\"Mine\"}'), ('2025-01-03T00:00:00Z', 'root', 'establishments',"
		 " '%lld', 'update', '{\"name\":\"Other\"}')",
		 (long long)est, (long long)est + 1);
	assert_int_equal(store_exec(db, sql, &e), 0);
	int64_t n[2];
	for (int i = 0; i < 2; i++) { /* the second with the statements cached */
		struct exchange x;
		ex_init(&x, "GET", path);
		ex_header(&x, "Cookie", cookie);
		ex_header(&x, "Accept", "text/html");
		int64_t before = store_queries(db);
		const char *body = ex_run(&x);
		n[i] = store_queries(db) - before;
		assert_int_equal(x.w.status, 200);
		assert_non_null(strstr(body, "Cơ sở chi tiết"));
		assert_non_null(strstr(body, "id=\"edit\""));
		assert_non_null(strstr(body, "id=\"delete\""));
		assert_non_null(strstr(body, "id=\"rel-products\"><h2>Sản phẩm (201)</h2>"));
		assert_non_null(strstr(body, "&quot;name&quot;:&quot;Mine&quot;"));
		assert_null(strstr(body, "Other"));
		ex_free(&x);
	}
	/* The session, the record, the unread notifications, the files, which
	 * of the 9 related lists have records (one statement for them all),
	 * the one that has (the products, its full page counted), the history:
	 * 8 (15 when each related list was asked for, 27 before issue 17). */
	assert_int_equal(n[0], n[1]);
	if (n[1] > 8)
		fail_msg("%lld statements, not 8", (long long)n[1]);

	/* A province account's related lists keep to its province, in the
	 * page and in the count past it (3 products of another province). */
	snprintf(sql, sizeof sql,
		 "INSERT INTO products (created_at, updated_at, province_code, establishment_id,"
		 " name) VALUES ('2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '79', %lld, 'A'),"
		 " ('2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '79', %lld, 'B'),"
		 " ('2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '79', %lld, 'C')",
		 (long long)est, (long long)est, (long long)est);
	assert_int_equal(store_exec(db, sql, &e), 0);
	struct actor cli;
	actor_cli(&cli);
	struct user_input tinh = {"tinh01", "Tỉnh", "province", "01", 0};
	assert_int_equal(user_add(db, &cli, &tinh, PW, NULL, &e), 0);
	char *tokens[2] = {token, api_login("tinh01", csrf)};
	const char *want[2] = {"Sản phẩm (204)", "Sản phẩm (201)"};
	for (int i = 0; i < 2; i++) {
		struct exchange x;
		ex_init(&x, "GET", path);
		snprintf(cookie, sizeof cookie, "kc_session=%s", tokens[i]);
		ex_header(&x, "Cookie", cookie);
		ex_header(&x, "Accept", "text/html");
		const char *body = ex_run(&x);
		assert_int_equal(x.w.status, 200);
		assert_non_null(strstr(body, want[i]));
		assert_non_null(strstr(body, "id=\"edit\""));
		ex_free(&x);
	}
	free(tokens[1]);
	free(token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthz),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_bad_bodies),
		cmocka_unit_test(test_undeclared_query),
		cmocka_unit_test(test_declared_integers),
		cmocka_unit_test(test_auth_required),
		cmocka_unit_test(test_bearer_and_roles),
		cmocka_unit_test(test_list_export_streams),
		cmocka_unit_test(test_cookie_needs_csrf),
		cmocka_unit_test(test_html_detail_statements),
		cmocka_unit_test(test_dashboard_map_reused),
		cmocka_unit_test(test_sessionless_routes),
		cmocka_unit_test(test_read_snapshot),
		cmocka_unit_test(test_router_match),
		cmocka_unit_test(test_route_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
