/* doc_letterhead.c - the administrative document's header and signature
 * ("letterhead" in io/doc.h) in the HTML and text renderings of a report; the
 * PDF draws its own in doc_pdf.c. */
#include "io/doc.h"

const char *doc_letterhead_text(json_t *h, const char *key)
{
	const char *v = json_string_value(json_object_get(h, key));
	return v ? v : "";
}

void doc_html_letterhead_top(json_t *h, struct buf *out)
{
	if (!h)
		return;
	buf_printf(out,
		   "<header class=\"letterhead\" id=\"letterhead\">"
		   "<div class=\"lh-body\"><p>%h</p><p><strong>%h</strong></p><hr>"
		   "<p id=\"lh-number\">%h</p></div>"
		   "<div class=\"lh-nation\"><p><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
		   "NAM</strong></p>"
		   "<p class=\"motto\"><strong>Độc lập - Tự do - Hạnh phúc</strong></p><hr>"
		   "<p><em id=\"lh-date\">%h</em></p></div></header>\n",
		   doc_letterhead_text(h, "parent_body"), doc_letterhead_text(h, "issuing_body"),
		   doc_letterhead_text(h, "number"), doc_letterhead_text(h, "place_date"));
	if (json_is_true(json_object_get(h, "draft")))
		buf_puts(out, "<p class=\"draft-mark\" id=\"draft-mark\">DỰ THẢO</p>\n");
	buf_printf(out, "<p class=\"lh-kind\"><strong>%h</strong><br><strong>%h</strong></p>\n",
		   doc_letterhead_text(h, "kind"), doc_letterhead_text(h, "summary"));
	json_t *to = json_object_get(h, "addressee"), *t;
	size_t i;
	buf_puts(out, "<p class=\"lh-to\">Kính gửi:");
	json_array_foreach(to, i, t)
		buf_printf(out, "%s%h", json_array_size(to) > 1 ? "<br>- " : " ",
			   json_string_value(t));
	buf_puts(out, "</p>\n");
}

void doc_html_letterhead_end(json_t *h, struct buf *out)
{
	if (!h)
		return;
	buf_puts(out, "<footer class=\"letterhead-end\"><div class=\"lh-copies\">"
		      "<p><strong><em>Nơi nhận:</em></strong></p><ul>");
	json_t *t;
	size_t i;
	json_array_foreach(json_object_get(h, "recipients"), i, t)
		buf_printf(out, "<li>%h</li>", json_string_value(t));
	buf_printf(out,
		   "</ul></div><div class=\"lh-signer\" id=\"lh-signer\"><p><strong>%h</strong>"
		   "</p><p><strong>%h</strong></p><p class=\"lh-sign\"></p><p><strong>%h</strong>"
		   "</p></div></footer>\n",
		   doc_letterhead_text(h, "signer_authority"),
		   doc_letterhead_text(h, "signer_title"), doc_letterhead_text(h, "signer_name"));
}

void doc_text_letterhead_top(json_t *h, struct buf *out)
{
	if (!h)
		return;
	buf_printf(out,
		   "%s\n%s\n%s\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
		   "%s\n\n",
		   doc_letterhead_text(h, "parent_body"), doc_letterhead_text(h, "issuing_body"),
		   doc_letterhead_text(h, "number"), doc_letterhead_text(h, "place_date"));
	if (json_is_true(json_object_get(h, "draft")))
		buf_puts(out, "(DỰ THẢO)\n\n");
	buf_printf(out, "%s\n%s\n\n", doc_letterhead_text(h, "kind"),
		   doc_letterhead_text(h, "summary"));
	json_t *t;
	size_t i;
	buf_puts(out, "Kính gửi:");
	json_array_foreach(json_object_get(h, "addressee"), i, t)
		buf_printf(out, " %s%s", i ? "; " : "", json_string_value(t));
	buf_puts(out, "\n\n");
}

void doc_text_letterhead_end(json_t *h, struct buf *out)
{
	if (!h)
		return;
	buf_puts(out, "Nơi nhận:\n");
	json_t *t;
	size_t i;
	json_array_foreach(json_object_get(h, "recipients"), i, t)
		buf_printf(out, "- %s\n", json_string_value(t));
	buf_puts(out, "\n");
	if (*doc_letterhead_text(h, "signer_authority"))
		buf_printf(out, "%s\n", doc_letterhead_text(h, "signer_authority"));
	buf_printf(out, "%s\n\n%s\n\n", doc_letterhead_text(h, "signer_title"),
		   doc_letterhead_text(h, "signer_name"));
}
