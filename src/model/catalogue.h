/* catalogue.h - the public side's reads: published products, their makers,
 * craft villages, typical product awards and the trace of a lot. Every
 * function here selects public columns only (never tax codes, contacts,
 * notes, illustrative flags...), so the public pages and the public JSON
 * cannot leak a private field; and only what a published product makes
 * public is found (anything else is ERR_NOTFOUND). No login is needed, so
 * none takes an actor. Enum values are codes; renderers label them. */
#ifndef KC_CATALOGUE_H
#define KC_CATALOGUE_H

#include "store/store.h"

#include <jansson.h>

struct catalogue_query {
	const char *q;		  /* words to find in products, with or without marks; NULL */
	const char *province;	  /* today's province code, or NULL */
	const char *category;	  /* product group code, or NULL */
	const char *level;	  /* award level code, or NULL */
	int stars;		  /* at least this many OCOP stars; 0 for any */
	int year;		  /* award year; 0 for any */
	int64_t village_id;	  /* craft village of the maker; 0 for any */
	int64_t establishment_id; /* 0 for any */
	int64_t limit, offset;
};

/* How many published products match q in each province, q's own province
 * left aside (the map of the product list): {"query": {"by": "province"},
 * "rows": [{"key": "new:CC", "label", "value", "scale": 0, "qualifier":
 * "exact", "text": "12 sản phẩm", "source": "records"}]}, provinces
 * without products left out, in *out (caller decrefs). */
int catalogue_by_province(struct store *st, const struct catalogue_query *q, json_t **out,
			  struct err *e);

/* Published products matching q, by name, as a JSON array of {"id",
 * "name", "category", "ocop_stars", "award_level", "award_year",
 * "establishment_id", "establishment_name", "province_code", "province",
 * "photo_id"} in *items (caller decrefs), with the number of matches in
 * *total. */
int catalogue_list(struct store *st, const struct catalogue_query *q, json_t **items,
		   int64_t *total, struct err *e);
/* One published product: {"id", "name", "category", "description", "gtin",
 * "ocop_stars", "channels" (the product's, else its maker's), "award"
 * ({"id", "level", "year"} or null), "photos" (ids), "establishment"
 * ({"id", "name", "kind", "commune", "province_code", "province",
 * "village": {"id", "name"} or null, "founded_year"})}. */
int catalogue_product(struct store *st, int64_t id, json_t **out, struct err *e);
/* A maker with at least one published product: the "establishment" object
 * above plus "channels", "products" (as catalogue_list) and "awards" (as
 * catalogue_awards). */
int catalogue_establishment(struct store *st, int64_t id, json_t **out, struct err *e);
/* A craft village with at least one published product: {"id", "name",
 * "craft_group", "craft", "traditional", "recognised", "decision_no",
 * "decision_date", "commune", "province", "establishments" ([{"id",
 * "name"}]), "products" (as catalogue_list)}. */
int catalogue_village(struct store *st, int64_t id, json_t **out, struct err *e);
/* Typical product awards, newest year first, then by level (national
 * first): [{"id", "product_name", "level", "year", "ocop_stars",
 * "product_group", "establishment_id", "establishment_name",
 * "establishment_public" (bool: it has a published product), "product_id"
 * (a published product showing the award, or null), "province"}]. Awards
 * marked illustrative appear only when a published product shows them.
 * year 0, level/province NULL: all. establishment_id 0: all. */
int catalogue_awards(struct store *st, int year, const char *level, const char *province,
		     int64_t establishment_id, json_t **out, struct err *e);
/* The trace of a lot of a published product: {"id", "lot_code",
 * "production_date", "expiry_date", "quantity", "quantity_unit", "inputs"
 * ({"name": {"origin", ...}} or null), "recalled", "recall_reason",
 * "events" ([{"date", "what", "place", "who"}], by date), "product" (as
 * catalogue_product)}. */
int catalogue_lot(struct store *st, int64_t lot_id, json_t **out, struct err *e);
/* The lot with lot_code of the published product with the 14-digit gtin. */
int catalogue_lot_find(struct store *st, const char *gtin14, const char *lot_code, int64_t *lot_id,
		       struct err *e);
/* The published product with the 14-digit gtin. ERR_NOTFOUND or ERR_STORE. */
int catalogue_product_find(struct store *st, const char *gtin14, int64_t *product_id,
			   struct err *e);
/* What the filters of the product list offer: {"provinces": [{"code",
 * "name"}] (today's), "villages": [{"id", "name"}] (those of province with
 * published products; empty when province is NULL)}. */
int catalogue_filters(struct store *st, const char *province, json_t **out, struct err *e);

#endif
