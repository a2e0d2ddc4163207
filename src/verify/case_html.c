/*-------------------------------------------------------------------------
 *
 * case_html.c
 *	  hrguard-verify --html: once a case package has verified, the page
 *	  hrguard.case_report() makes in the database, drawn from the package
 *	  alone: the case, its timeline with each step's custody link, the
 *	  alerts attached with their explanations, the evidence attached, and
 *	  the map of the punches (case_map.c).
 *
 * What comes from the verified chains: the steps (each the custody entry
 * of its number), the custody links and head, and the punches.  What the
 * package only states, covered by no hash (its member "report"): the
 * employee's name, team and time zone, the zones and the explanations.
 * The page says which is which.  Every text is escaped as hrguard.html()
 * escapes it, so the page is well-formed XHTML whatever the package holds.
 *
 * IDENTIFICATION
 *	  src/verify/case_html.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <limits.h>
#include <signal.h>
#include <sys/stat.h>

#define lengthof_signals(a) (sizeof(a) / sizeof((a)[0]))

#include "case_html.h"
#include "report.h"

/*
 * The page's time zone: the employee's, as the package states it, if this
 * machine's time zone database holds it (found as PostgreSQL finds it,
 * whatever the case of its letters; not a "right/" zone, whose leap
 * seconds PostgreSQL counts and the C library does not), else UTC.
 * page_zone is the name shown.
 */
#define ZONE_DIR "/usr/share/zoneinfo"
static const char *page_zone = "UTC";
static const char *stated_zone = NULL;	/* a zone the package states and this machine lacks */

/*
 * The code point at s if it is one a page shows rather than obeys: the
 * marks, embeddings, overrides and isolates of direction (U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069), the line and paragraph
 * separators (U+2028, U+2029) and the interlinear annotations
 * (U+FFF9..U+FFFB); else 0.  *len is its length in UTF-8.
 */
static unsigned
shown_as_code(const unsigned char *s, int *len)
{
	unsigned	code = 0;

	if (s[0] == 0xd8 && s[1] == 0x9c)
	{
		*len = 2;
		return 0x061c;
	}
	if ((s[0] == 0xe2 || s[0] == 0xef) && s[1] != '\0' && s[2] != '\0')
		code = ((unsigned) (s[0] & 0x0f) << 12) | ((unsigned) (s[1] & 0x3f) << 6) | (s[2] & 0x3f);
	*len = 3;
	if (code == 0x200e || code == 0x200f || (code >= 0x2028 && code <= 0x202e) ||
		(code >= 0x2066 && code <= 0x2069) || (code >= 0xfff9 && code <= 0xfffb))
		return code;
	return 0;
}

void
html_text(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *) text;
	unsigned	code;
	int			len;

	if (s == NULL)
		return;
	for (; *s != '\0'; s++)
	{
		switch (*s)
		{
			case '&':
				fputs("&amp;", out);
				break;
			case '<':
				fputs("&lt;", out);
				break;
			case '>':
				fputs("&gt;", out);
				break;
			case '"':
				fputs("&quot;", out);
				break;
			case '\'':
				fputs("&#39;", out);
				break;
			case '\t':
			case '\n':
				fputc(*s, out);
				break;
			case '\r':
				fputs("&#13;", out);	/* kept as it is, not read as a newline */
				break;
			default:
				if ((code = shown_as_code(s, &len)) != 0)
				{
					/* shown, not obeyed: it could reorder what is read next to it */
					fprintf(out, "[U+%04X]", code);
					s += len - 1;
				}
				else if (*s < 0x20)
					fputs("\xef\xbf\xbd", out);	/* XML cannot hold it */
				else if (s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
				{
					fputs("\xef\xbf\xbd", out);	/* U+FFFE, U+FFFF */
					s += 2;
				}
				else
					fputc(*s, out);
				break;
		}
	}
}

void
local_minute(int64_t us, char out[32])
{
	time_t		secs = (time_t) ((us - (((us % 1000000) + 1000000) % 1000000)) / 1000000);
	struct tm	tm;

	if (localtime_r(&secs, &tm) == NULL || strftime(out, 32, "%Y-%m-%d %H:%M", &tm) == 0)
		strcpy(out, "?");
}

void
write_tenths(FILE *out, double x)
{
	char		digits[40];
	double		tenths;

	/* float8 to numeric keeps 15 significant digits; round() goes half away from zero */
	snprintf(digits, sizeof(digits), "%.15g", x);
	tenths = round(strtod(digits, NULL) * 10) / 10;
	fprintf(out, "%.1f", tenths == 0 ? 0.0 : tenths);
}

/* the file of a zone name under ZONE_DIR, each part matched whatever its case; false if none */
static bool
zone_file(const char *zone, char *path, size_t size)
{
	char		part[128];
	const char *p = zone;
	struct stat st;

	snprintf(path, size, "%s", ZONE_DIR);
	while (*p != '\0')
	{
		size_t		n = strcspn(p, "/");
		DIR		   *dir;
		struct dirent *d;
		bool		found = false;

		if (n == 0 || n >= sizeof(part))
			return false;
		memcpy(part, p, n);
		part[n] = '\0';
		if ((dir = opendir(path)) == NULL)
			return false;
		while (!found && (d = readdir(dir)) != NULL)
			if (strcasecmp(d->d_name, part) == 0 && strlen(path) + strlen(d->d_name) + 2 <= size)
			{
				strcat(path, "/");
				strcat(path, d->d_name);
				found = true;
			}
		closedir(dir);
		if (!found)
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* the employee's time zone, if a name of the time zone database this machine holds */
static void
choose_zone(const char *zone)
{
	static char tz[600];
	char		path[sizeof(tz) - 1];
	const char *name = zone;
	size_t		i;

	if (zone == NULL)
		return;
	/* the C library counts no leap seconds where PostgreSQL counts those of right/ zones */
	if (strncasecmp(name, "right/", 6) == 0)
	{
		stated_zone = zone;
		return;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (!isalnum((unsigned char) name[i]) && strchr("/_+-", name[i]) == NULL)
			break;
	if (name[0] == '\0' || name[0] == '/' || name[i] != '\0' || i > 100 || strstr(name, "..") != NULL ||
		!zone_file(name, path, sizeof(path)))
	{
		stated_zone = zone;
		return;
	}
	snprintf(tz, sizeof(tz), ":%s", path);
	setenv("TZ", tz, 1);
	page_zone = zone;
}

/* a stated time written as the page writes times, or the text given if there is none */
static void
write_time(FILE *out, json_t *text, const char *none)
{
	int64_t		us;
	char		when[32];

	if (!utc_micros(json_string_value(text), &us))
	{
		fputs(none, out);
		return;
	}
	local_minute(us, when);
	fputs(when, out);
}

/* ->> of a member: its text, as PostgreSQL gives it, or NULL */
static const char *
text_of(json_t *object, const char *key, char buf[64])
{
	json_t	   *value = json_object_get(object, key);

	if (json_is_string(value))
		return json_string_value(value);
	if (json_is_integer(value))
		snprintf(buf, 64, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
	else if (json_is_real(value))
		snprintf(buf, 64, "%.17g", json_real_value(value));
	else if (json_is_boolean(value))
		strcpy(buf, json_is_true(value) ? "true" : "false");
	else
		return NULL;			/* none, null; an object or array is no text here */
	return buf;
}

/* the texts given, one after another, escaped; nothing if any is NULL (as || joins) */
static void
write_joined(FILE *out, int n, const char *const *parts)
{
	int			i;

	for (i = 0; i < n; i++)
		if (parts[i] == NULL)
			return;
	for (i = 0; i < n; i++)
		html_text(out, parts[i]);
}

/* what a step did, in a few words, as hrguard.case_report() writes it */
static void
write_what(FILE *out, const char *kind, json_t *d)
{
	char		a[64],
				b[64];

#define JOIN(...) do { const char *const parts_[] = {__VA_ARGS__}; \
		write_joined(out, (int) (sizeof(parts_) / sizeof(parts_[0])), parts_); } while (0)

	if (strcmp(kind, "transition") == 0)
		JOIN(text_of(d, "from", a), " → ", text_of(d, "to", b));
	else if (strcmp(kind, "opened") == 0)
		JOIN(text_of(d, "reason", a));
	else if (strcmp(kind, "evidence") == 0)
		JOIN(text_of(d, "category", a), ": ", text_of(d, "description", b));
	else if (strcmp(kind, "alert") == 0)
		JOIN("alert ", text_of(d, "alert_id", a), " ", text_of(d, "kind", b));
	else if (strcmp(kind, "interview") == 0)
		JOIN(text_of(d, "place", a), ": ", text_of(d, "explanation", b));
	else if (strcmp(kind, "ground") == 0)
		JOIN(text_of(d, "ground", a));
	else if (strcmp(kind, "approval") == 0)
		JOIN(text_of(d, "outcome", a));
	else if (strcmp(kind, "notice_to_correct") == 0)
		JOIN(text_of(d, "required_correction", a));
	else if (strcmp(kind, "notice_delivered") == 0)
		JOIN(text_of(d, "method", a), ", deadline ", text_of(d, "deadline", b));
	else if (strcmp(kind, "union_notice") == 0)
		JOIN(text_of(d, "union_name", a));
	else if (strcmp(kind, "union_reply") == 0)
		JOIN(json_is_true(json_object_get(d, "objects")) ? "objects: " : "no objection: ",
			 text_of(d, "summary", a));
	else if (strcmp(kind, "export") == 0)
		JOIN("package from ", text_of(d, "range_from", a), " to ", text_of(d, "range_to", b));
	else if (strcmp(kind, "rebuttal") == 0)
		JOIN(text_of(d, "summary", a));
	else if (strcmp(kind, "acknowledgement") == 0)
		JOIN(text_of(d, "response", a));
	else
	{
		char	   *text = json_dumps(d, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

		html_text(out, text);
		free(text);
	}
#undef JOIN
}

/* the custody entry of a step, if the package holds it */
static const PackageEntry *
custody_link(const Package *custody, json_int_t step)
{
	size_t		i;

	for (i = 0; i < custody->n_entries; i++)
		if (custody->entries[i].seq == (uint64_t) step && custody->entries[i].link_len == HASH_LEN * 2)
			return &custody->entries[i];
	return NULL;
}

static bool
is_kind(json_t *step, const char *kind)
{
	const char *its = json_string_value(json_object_get(step, "kind"));

	return its != NULL && strcmp(its, kind) == 0;
}

static json_int_t
step_no(json_t *step)
{
	return json_integer_value(json_object_get(step, "step"));
}

static int
by_step(const void *a, const void *b)
{
	json_int_t	x = step_no(*(json_t *const *) a),
				y = step_no(*(json_t *const *) b);

	return x < y ? -1 : x > y;
}

static json_int_t
alert_of(json_t *step)
{
	return json_integer_value(json_object_get(json_object_get(step, "details"), "alert_id"));
}

static int
by_alert(const void *a, const void *b)
{
	json_int_t	x = alert_of(*(json_t *const *) a),
				y = alert_of(*(json_t *const *) b);

	return x < y ? -1 : x > y;
}

static void
write_timeline(FILE *out, json_t **steps, size_t n, const Package *custody)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		json_t	   *s = steps[i];
		const char *kind = json_string_value(json_object_get(s, "kind"));
		const PackageEntry *link = custody_link(custody, step_no(s));

		fputs("<tr class=\"step ", out);
		html_text(out, kind);
		fprintf(out, "\"><td>%" JSON_INTEGER_FORMAT "</td><td>", step_no(s));
		write_time(out, json_object_get(s, "occurred_at"), "");
		fputs("</td><td>", out);
		html_text(out, kind);
		fputs("</td><td>", out);
		html_text(out, json_string_value(json_object_get(s, "actor")));
		fputs(" (", out);
		html_text(out, json_string_value(json_object_get(s, "duty")));
		fputs(")</td><td>", out);
		write_what(out, kind != NULL ? kind : "", json_object_get(s, "details"));
		if (link != NULL)
			fprintf(out, "</td><td class=\"hash\" title=\"%.*s\">%.16s…</td></tr>",
					(int) link->link_len, link->link, link->link);
		else
			fputs("</td><td class=\"hash\" title=\"\">…</td></tr>", out);
	}
}

/* the stated explanation of an alert, if the package states one */
static json_t *
explanation(json_t *stated, json_int_t alert_id)
{
	json_t	   *all = json_object_get(stated, "explanations");
	size_t		i;

	for (i = 0; i < json_array_size(all); i++)
	{
		json_t	   *x = json_array_get(all, i);

		if (json_is_integer(json_object_get(x, "alert_id")) &&
			json_integer_value(json_object_get(x, "alert_id")) == alert_id)
			return x;
	}
	return NULL;
}

static void
write_alerts(FILE *out, json_t **steps, size_t n, json_t *stated)
{
	json_t	  **alerts = calloc(n + 1, sizeof(json_t *));
	size_t		k = 0,
				i;

	if (alerts == NULL)
		unreadable("out of memory");
	for (i = 0; i < n; i++)
		if (is_kind(steps[i], "alert"))
			alerts[k++] = steps[i];
	qsort(alerts, k, sizeof(json_t *), by_alert);
	if (k == 0)
		fputs("<p class=\"note\">No alert is attached to the case.</p>", out);
	for (i = 0; i < k; i++)
	{
		json_t	   *d = json_object_get(alerts[i], "details");
		json_t	   *x = explanation(stated, alert_of(alerts[i]));
		char		buf[64];

		fputs("<div class=\"alert\"><h3>Alert ", out);
		html_text(out, text_of(d, "alert_id", buf));
		fputs(": ", out);
		html_text(out, text_of(d, "kind", buf));
		fputs(" (", out);
		html_text(out, text_of(d, "severity", buf));
		fputs("), ", out);
		write_time(out, json_object_get(alerts[i], "occurred_at"), "");
		if (x == NULL || (json_string_length(json_object_get(x, "sentence_en")) == 0 &&
						  json_string_length(json_object_get(x, "sentence_zh")) == 0))
			fputs("</h3><p class=\"note\">The package states no explanation of this alert.</p></div>", out);
		else
		{
			fputs("</h3><p lang=\"en\">", out);
			html_text(out, json_string_value(json_object_get(x, "sentence_en")));
			fputs("</p><p lang=\"zh-CN\">", out);
			html_text(out, json_string_value(json_object_get(x, "sentence_zh")));
			fputs("</p></div>", out);
		}
	}
	free(alerts);
}

static void
write_evidence(FILE *out, json_t **steps, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		json_t	   *d = json_object_get(steps[i], "details");
		char		a[64],
					b[64],
					c[64];

		if (!is_kind(steps[i], "evidence"))
			continue;
		fputs("<li>", out);
		html_text(out, text_of(d, "description", a));
		fputs(" — ", out);
		html_text(out, text_of(d, "category", a));
		fputs(", ", out);
		html_text(out, text_of(d, "collection_method", a));
		fputs(" <span class=\"hash\">", out);
		{
			const char *hash[] = {"SHA-256 ", text_of(d, "document_sha256", a)};
			const char *entry[] = {"entry ", text_of(d, "evidence_seq", b), ", link ", text_of(d, "evidence_link", c)};

			if (hash[1] != NULL)
				write_joined(out, 2, hash);
			else
				write_joined(out, 4, entry);
		}
		fputs("</span></li>", out);
	}
}

static const char *
status_words(int status)
{
	switch (status)
	{
		case EXIT_VERIFIED:
			return "verified, complete, and anchored by the checkpoint given";
		case EXIT_PARTLY_ANCHORED:
			return "verified, but some entries rest only on the package's own checkpoint";
		default:
			return "verified, but not proven complete";
	}
}

/*
 * The page is written to a file beside FILE and renamed to it once whole,
 * so that FILE never holds half a page; the file is removed on any exit
 * before that.
 */
static char page_temp[4200];
static bool page_pending = false;

static void
remove_page_temp(void)
{
	if (page_pending)
		unlink(page_temp);
}

/* a signal during the write: the file beside FILE goes, then the signal does what it would */
static void
remove_page_temp_on_signal(int signo)
{
	if (page_pending)
		unlink(page_temp);
	signal(signo, SIG_DFL);
	raise(signo);
}

static char page_path[4096];

static FILE *
open_page(const char *path)
{
	static const int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGXFSZ};
	int			fd;
	mode_t		mask;
	FILE	   *out;
	struct stat st;
	size_t		i;

	if (strcmp(path, "-") == 0)
		return stdout;
	/* a symbolic link: the page replaces the file it leads to, not the link */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && realpath(path, page_path) != NULL)
		path = page_path;
	else if ((size_t) snprintf(page_path, sizeof(page_path), "%s", path) >= sizeof(page_path))
		unreadable("could not write \"%s\": the name is too long", shown(path));
	for (i = 0; i < lengthof_signals(signals); i++)
		signal(signals[i], remove_page_temp_on_signal);
	if ((size_t) snprintf(page_temp, sizeof(page_temp), "%s.XXXXXX", path) >= sizeof(page_temp))
		unreadable("could not write \"%s\": the name is too long", shown(path));
	fd = mkstemp(page_temp);
	if (fd < 0)
		unreadable("could not write \"%s\": %s", shown(path), strerror(errno));
	page_pending = true;
	atexit(remove_page_temp);
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || (out = fdopen(fd, "w")) == NULL)
		unreadable("could not write \"%s\": %s", shown(path), strerror(errno));
	return out;
}

static void
close_page(FILE *out)
{
	if (out == stdout)
	{
		if (fflush(out) != 0 || ferror(out))
			unreadable("could not write the page to standard output: %s", strerror(errno));
		return;
	}
	if (fflush(out) != 0 || ferror(out) || fclose(out) != 0 || rename(page_temp, page_path) != 0)
		unreadable("could not write \"%s\": %s", shown(page_path), strerror(errno));
	page_pending = false;
}

void
write_case_html(const char *path, json_t *outer, const Package *custody, const Package *evidence, int status)
{
	FILE	   *out = open_page(path);
	json_t	   *the_case = json_object_get(outer, "case");
	json_t	   *stated = json_object_get(outer, "report");
	json_t	   *employee = json_object_get(stated, "employee");
	json_t	   *all_steps = json_object_get(outer, "steps");
	const char *employee_id = json_string_value(json_object_get(the_case, "employee_id"));
	const char *name = json_string_value(json_object_get(employee, "display_name"));
	json_int_t	case_id = json_integer_value(json_object_get(the_case, "case_id"));
	const PackageEntry *head = &custody->entries[custody->n_entries - 1];
	size_t		n = json_array_size(all_steps),
				i;
	json_t	  **steps = calloc(n + 1, sizeof(json_t *));
	int64_t		since = 0,
				until = 0;

	if (steps == NULL)
		unreadable("out of memory");
	for (i = 0; i < n; i++)
		steps[i] = json_array_get(all_steps, i);
	qsort(steps, n, sizeof(json_t *), by_step);

	setenv("TZ", "UTC", 1);
	choose_zone(json_string_value(json_object_get(employee, "timezone")));
	tzset();

	fprintf(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\"><head>"
			"<meta charset=\"utf-8\"/><title>Case %" JSON_INTEGER_FORMAT " — ", case_id);
	html_text(out, name != NULL ? name : employee_id);
	fputs("</title><style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
		  "td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:90%}.hash{font-family:monospace;color:#555}"
		  ".ground{fill:#f7f7f2}.zone{fill-opacity:.25;stroke-width:1}.zone.office{fill:#36c;stroke:#36c}"
		  ".zone.client{fill:#3a3;stroke:#3a3}.zone.competitor{fill:#d33;stroke:#d33}"
		  ".punch{stroke:#000;stroke-width:.5}.punch.inside{fill:#2a2}.punch.uncertain{fill:#f90}.punch.outside{fill:#d22}"
		  ".punch.unknown{fill:#999}.note{color:#666;font-size:85%}</style></head><body>", out);
	fprintf(out, "<h1>案件报告 Case report %" JSON_INTEGER_FORMAT "</h1>", case_id);
	fprintf(out, "<p class=\"note\" id=\"provenance\">Drawn by hrguard-verify from a case package, %s.  "
			"The timeline, the custody links, the alerts and evidence attached and the punches are what the "
			"verified chains hold; the employee's name, team and time zone, the zones and the explanations "
			"of the alerts are stated by the package and covered by no hash.</p>", status_words(status));

	fputs("<table class=\"summary\"><tr><th>Employee 员工</th><td id=\"employee\">", out);
	html_text(out, employee_id);
	fputc(' ', out);
	html_text(out, name);
	fputc(' ', out);
	html_text(out, json_string_value(json_object_get(employee, "team")));
	fputs("</td></tr><tr><th>State 状态</th><td id=\"state\">", out);
	html_text(out, json_string_value(json_object_get(the_case, "state")));
	fputs("</td></tr><tr><th>Ground 依据</th><td id=\"ground\">", out);
	html_text(out, json_is_string(json_object_get(the_case, "ground"))
			  ? json_string_value(json_object_get(the_case, "ground")) : "—");
	fputs("</td></tr><tr><th>Reason 事由</th><td>", out);
	html_text(out, json_string_value(json_object_get(the_case, "reason")));
	fputs("</td></tr><tr><th>Opened 立案</th><td>", out);
	write_time(out, json_object_get(the_case, "opened_at"), "—");
	fputs(" (", out);
	html_text(out, page_zone);
	if (stated_zone != NULL)
	{
		fputs("; the employee's time zone, ", out);
		html_text(out, stated_zone);
		fputs(", is not one this machine's time zone database gives as PostgreSQL does", out);
	}
	fputs(")</td></tr><tr><th>Closed 结案</th><td>", out);
	write_time(out, json_object_get(the_case, "closed_at"), "—");
	fprintf(out, "</td></tr><tr><th>Custody chain 处理记录</th><td class=\"hash\" id=\"custody\">case:%"
			JSON_INTEGER_FORMAT " seq %" PRIu64 " head %.*s</td></tr></table>",
			case_id, head->seq, (int) head->link_len, head->link);

	fputs("<h2>Timeline 时间线</h2><table class=\"timeline\"><tr><th>#</th><th>When</th><th>Step</th>"
		  "<th>Actor</th><th>What</th><th>Custody link</th></tr>", out);
	write_timeline(out, steps, n, custody);
	fputs("</table><h2>Map 轨迹</h2>", out);

	/* the span of the map: the evidence package's range, to the export if open */
	utc_micros(json_string_value(json_object_get(json_object_get(evidence->doc, "range"), "from")), &since);
	if (!utc_micros(json_string_value(json_object_get(json_object_get(evidence->doc, "range"), "to")), &until) && n > 0)
		utc_micros(json_string_value(json_object_get(steps[n - 1], "occurred_at")), &until);
	write_case_map(out, evidence, json_object_get(stated, "zones"), employee_id,
				   json_string_value(json_object_get(the_case, "tenant_id")), since, until);

	fputs("<h2>Alerts 告警</h2>", out);
	write_alerts(out, steps, n, stated);
	fputs("<h2>Evidence 证据</h2><ol class=\"evidence\">", out);
	write_evidence(out, steps, n);
	fprintf(out, "</ol><p class=\"note\">Drawn by hrguard-verify from the case package.  Every step is an entry "
			"of the custody chain case:%" JSON_INTEGER_FORMAT "; hrguard-verify checked each against it.</p>"
			"</body></html>\n", case_id);
	free(steps);
	close_page(out);
}
