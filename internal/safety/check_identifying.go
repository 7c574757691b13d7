package safety

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The kinds of identifying detail the check names.
const (
	KindPhone         = "phone"
	KindEmail         = "email"
	KindStreetAddress = "street_address"
	KindURL           = "url"
	KindDateOfBirth   = "date_of_birth"
	KindIDNumber      = "id_number"
)

// span is one finding, in byte offsets of the text, half-open.
type span struct {
	kind       string
	start, end int
	rank       int // lower wins where two findings overlap
}

// recentYears: a full date within this many years of today reads as a
// recovery date ("sober since 12 March 2019"), which recovery writing is
// full of; an older one as a date of birth. Near "born", "DOB" or
// "birthday" any date counts.
const recentYears = 12

// A finder turns the matches of one pattern into findings. Each is tried on
// the whole text; where findings overlap, the one of the lower rank (the
// more specific shape) is kept, then the longer.
type finder struct {
	kind  string
	re    *regexp.Regexp
	rank  int
	group int // the submatch that is the finding (0: the whole match)
	// keep says whether a match is a finding, and may trim it.
	keep func(text string, s *span, year int) bool
}

const (
	months = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?` +
		`|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre`
	// A date spelled with its month: 4 March 1985, March 4th, 1985, 4. März 1985.
	wordDate = `\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?:` + months + `)\.?(?:,?\s+(?:19|20)?\d{2}\b)?` +
		`|(?:` + months + `)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)?\d{2}\b)?`
	numDate = `\d{1,2}[/.-]\d{1,2}(?:[/.-](?:19|20)?\d{2})?\b|(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b`
	// Street types that are ordinary words too (Close, Way) count only
	// capitalised; the rest in any case.
	streetTypes = `(?i:street|road|avenue|lane|drive|boulevard|parkway|highway)\b|(?i:st|rd|ave|ln|dr|blvd|pkwy|hwy)\b\.?` +
		`|(?:Way|Close|Court|Ct|Place|Pl|Terrace|Crescent|Square|Sq|Gardens|Grove|Hill|Row|Mews|Walk|Circle|Cres)\b`
	// Top-level domains a bare domain must end in to count: common ones
	// that are not also short English words (at, be, me, it, us, in, to).
	tlds = `com|org|net|edu|gov|io|co|uk|de|fr|info|app|ly|ca|au|nl|eu|ch|es|ie|nz|dev|page|blog|xyz|online|site|tv|ai|social|org\.uk|co\.uk|ac\.uk|com\.au`
)

var finders = []finder{
	{kind: KindEmail, re: regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`), rank: 0, keep: bounded},
	{kind: KindURL, re: regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>"'()\[\]{}]+`), rank: 1, keep: trimURL},
	{kind: KindURL, re: regexp.MustCompile(`(?i)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:` + tlds + `)(?:/[^\s<>"'()\[\]{}]*)?`), rank: 1, keep: bareDomain},
	// US social security number.
	{kind: KindIDNumber, re: regexp.MustCompile(`\d{3}[- ]\d{2}[- ]\d{4}`), rank: 2, keep: ssn},
	// UK national insurance number.
	{kind: KindIDNumber, re: regexp.MustCompile(`[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]`), rank: 2, keep: bounded},
	// UK NHS number: ten digits whose last is the mod-11 check digit,
	// written in threes and a four with spaces, or run together (with
	// hyphens it is most often a North American phone number).
	{kind: KindIDNumber, re: regexp.MustCompile(`\d{3} ?\d{3} ?\d{4}`), rank: 2, keep: nhs},
	// US Medicare number (MBI), German health insurance number, French
	// social security number.
	{kind: KindIDNumber, re: regexp.MustCompile(`\d[A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}`), rank: 2, keep: bounded},
	{kind: KindIDNumber, re: regexp.MustCompile(`[A-Z]\d{9}`), rank: 2, keep: bounded},
	{kind: KindIDNumber, re: regexp.MustCompile(`[12] ?\d{2} ?(?:0[1-9]|1[0-2]) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3}(?: ?\d{2})?`), rank: 2, keep: bounded},
	// A date near a word for birth, any shape.
	{kind: KindDateOfBirth, re: regexp.MustCompile(`(?i)\b(?:born|birthday|b-?day|dob|d\.o\.b\.?|date of birth|birth date|geboren|née?)\b[^.!?\n\d]{0,30}?((?:` + numDate + `)|(?:` + wordDate + `))`), rank: 3, group: 1, keep: anyDate},
	// A full date, when it is old enough to be a date of birth.
	{kind: KindDateOfBirth, re: regexp.MustCompile(`(?i)\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2}|` +
		`\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?:` + months + `)\.?,?\s+(?:19|20)\d{2}|(?:` + months + `)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}`), rank: 3, keep: oldDate},
	// Phone numbers: international, national (a leading 0), North American.
	{kind: KindPhone, re: regexp.MustCompile(`[+(]?\d(?:[\d()]|[ .-][\d(])*\d`), rank: 4, keep: phone},
	// Seven or more digits right after a word for a phone.
	{kind: KindPhone, re: regexp.MustCompile(`(?i)\b(?:call|text|phone|mobile|cell|whatsapp|signal|ring|tel\.?|reach me on|reach me at)\b[^.!?\n\d]{0,20}?(\d[\d .-]{5,}\d)`), rank: 4, group: 1, keep: sevenDigits},
	// Street addresses: 12 Baker Street, 221B Baker St, Hauptstraße 5,
	// Berliner Straße 12, 12 rue de la Paix.
	{kind: KindStreetAddress, re: regexp.MustCompile(`\d{1,5}[A-Za-z]?,?\s+(?:[A-Za-z][A-Za-z'’.-]*\s+){1,3}(?:` + streetTypes + `)`), rank: 5, keep: street},
	{kind: KindStreetAddress, re: regexp.MustCompile(`\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|straat|laan|plein)\s+\d{1,4}[a-z]?` +
		`|\p{Lu}\p{L}+\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee)\s+\d{1,4}[a-z]?`), rank: 5, keep: bounded},
	{kind: KindStreetAddress, re: regexp.MustCompile(`\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|chemin|allée|impasse|quai)\s+(?:(?:de|du|des|la|le)\s+|l['’])*\p{Lu}\p{L}+`), rank: 5, keep: bounded},
	// An insurance, patient or id number named as such: the name says
	// more than the shape, so it wins over a phone's.
	{kind: KindIDNumber, re: regexp.MustCompile(`(?i)\b(?:insurance|policy|member(?:ship)?|patient|passport|licen[cs]e|nhs|ssn|social security|medicare|medicaid|national insurance|ni|id|case)(?:\s*(?:id|number|no\.?|#|num)\b)*\s*(?:is|:)?\s*((?-i:[A-Z0-9]+(?:[ -][A-Z0-9]+){0,4}))`), rank: 2, group: 1, keep: namedID},
	// A long run of digits that is nothing else.
	{kind: KindIDNumber, re: regexp.MustCompile(`\d{9,19}`), rank: 7, keep: bounded},
}

// findIdentifying returns the identifying details of text, in byte
// offsets, ordered and never overlapping. year is this year.
func findIdentifying(text string, year int) []span {
	var all []span
	for _, f := range finders {
		for _, m := range f.re.FindAllStringSubmatchIndex(text, -1) {
			s := span{kind: f.kind, start: m[2*f.group], end: m[2*f.group+1], rank: f.rank}
			if s.start >= 0 && f.keep(text, &s, year) {
				all = append(all, s)
			}
		}
	}
	// The more specific shape first, then the longer.
	slices.SortStableFunc(all, func(a, b span) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return (b.end - b.start) - (a.end - a.start)
	})
	var kept []span
	for _, s := range all {
		if !slices.ContainsFunc(kept, func(k span) bool { return s.start < k.end && k.start < s.end }) {
			kept = append(kept, s)
		}
	}
	slices.SortFunc(kept, func(a, b span) int { return a.start - b.start })
	return kept
}

// wordChar reports whether r would run on from a finding into a longer
// word or number.
func wordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// bounded keeps a match that is not part of a longer word or number.
func bounded(text string, s *span, _ int) bool {
	if s.start > 0 && wordChar(lastRune(text[:s.start])) {
		return false
	}
	if s.end < len(text) {
		r, _ := utf8.DecodeRuneInString(text[s.end:])
		if wordChar(r) {
			return false
		}
	}
	return true
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// numbersOf splits s into its runs of digits.
func numbersOf(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// trimURL drops the punctuation a sentence puts after a link.
func trimURL(text string, s *span, _ int) bool {
	for s.end > s.start && strings.ContainsRune(".,;:!?…", lastRune(text[s.start:s.end])) {
		_, n := utf8.DecodeLastRuneInString(text[s.start:s.end])
		s.end -= n
	}
	return (s.start == 0 || !wordChar(lastRune(text[:s.start]))) && strings.ContainsAny(text[s.start:s.end], ".")
}

// bareDomain keeps example.org and example.org/path, not a word glued to
// the next after a missing space ("fine.Then" has no known ending anyway).
func bareDomain(text string, s *span, year int) bool {
	if !trimURL(text, s, year) || !bounded(text, s, year) {
		return false
	}
	if s.start > 0 && strings.ContainsRune("@./", lastRune(text[:s.start])) {
		return false
	}
	host, _, _ := strings.Cut(text[s.start:s.end], "/")
	// The name before the ending must hold a letter (not 3.co).
	dot := strings.IndexByte(host, '.')
	return strings.IndexFunc(host[:dot], unicode.IsLetter) >= 0
}

// ssn keeps a US social security number of a shape that is issued.
func ssn(text string, s *span, year int) bool {
	if !bounded(text, s, year) {
		return false
	}
	m := text[s.start:s.end]
	if m[3] != m[6] { // one separator throughout
		return false
	}
	d := digitsOf(m)
	return d[:3] != "000" && d[:3] != "666" && d[0] != '9' && d[3:5] != "00" && d[5:] != "0000"
}

// nhs keeps ten digits that pass the NHS number's mod-11 check.
func nhs(text string, s *span, year int) bool {
	if !bounded(text, s, year) {
		return false
	}
	d := digitsOf(text[s.start:s.end])
	sum := 0
	for i := range 9 {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(d[9]-'0')
}

// anyDate keeps a date next to a word for birth when it is a real one.
func anyDate(text string, s *span, year int) bool {
	return bounded(text, s, year) && plausibleDate(text[s.start:s.end])
}

// oldDate keeps a full date more than recentYears ago.
func oldDate(text string, s *span, year int) bool {
	m := text[s.start:s.end]
	if !bounded(text, s, year) || !plausibleDate(m) {
		return false
	}
	for _, n := range numbersOf(m) {
		if len(n) == 4 {
			y, _ := strconv.Atoi(n)
			return y <= year-recentYears
		}
	}
	return false
}

// plausibleDate refuses numeric shapes that are no date (13/45/1990,
// 3-4 as a score): every number but a year is 1 to 31, and a date of
// numbers alone has one of at most 12 (its month).
func plausibleDate(m string) bool {
	small := 0
	nums := numbersOf(m)
	for i, n := range nums {
		if len(n) == 4 || i == 2 { // the year, 1985 or 85
			continue
		}
		v, _ := strconv.Atoi(n)
		if v < 1 || v > 31 {
			return false
		}
		if v <= 12 {
			small++
		}
	}
	if monthWord.MatchString(m) {
		return true
	}
	return small > 0 && len(nums) >= 2
}

var monthWord = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:` + months + `)(?:[^\p{L}]|$)`)

// phone keeps a run of digits shaped like a phone number: international
// (+ and 8 to 15 digits), national (a leading 0 and 10 to 12 digits, or 00
// and up to 15), or North American ((555) 123-4567, 555-123-4567, with or
// without a leading 1).
func phone(text string, s *span, year int) bool {
	if !bounded(text, s, year) {
		return false
	}
	m := text[s.start:s.end]
	d := digitsOf(m)
	groups := numbersOf(m)
	switch {
	case m[0] == '+':
		return len(d) >= 8 && len(d) <= 15 && len(groups[0]) <= 4
	case strings.HasPrefix(d, "00"):
		return len(d) >= 11 && len(d) <= 15
	case d[0] == '0':
		return len(d) >= 10 && len(d) <= 12 && !freephone(d)
	}
	if len(groups) > 1 && groups[0] == "1" {
		groups = groups[1:]
		d = d[1:]
	}
	if len(d) != 10 || d[0] < '2' || freephone(d) {
		return false
	}
	return len(groups) == 1 || slices.Equal(lens(groups), []int{3, 3, 4})
}

// freephone reports whether the digits d of a phone number are a
// freephone number (North American 800, 888…; 0800 and 0808 in the UK and
// Germany). A freephone number belongs to an organisation (a helpline, a
// treatment centre), never to the person writing, and recovery writing
// passes helplines on often: warning of them would teach people to click
// past the warning.
func freephone(d string) bool {
	d = strings.TrimPrefix(d, "1")
	switch {
	case strings.HasPrefix(d, "0800"), strings.HasPrefix(d, "0808"):
		return true
	case len(d) == 10:
		return slices.Contains([]string{"800", "833", "844", "855", "866", "877", "888"}, d[:3])
	}
	return false
}

func lens(groups []string) []int {
	n := make([]int, len(groups))
	for i, g := range groups {
		n[i] = len(g)
	}
	return n
}

// sevenDigits keeps a number of 7 to 15 digits after "call me on".
func sevenDigits(text string, s *span, year int) bool {
	d := digitsOf(text[s.start:s.end])
	return bounded(text, s, year) && len(d) >= 7 && len(d) <= 15 && !freephone(d)
}

// notStreetName are words that, between a number and "road" or "drive",
// make ordinary prose ("2 nights on the road", "3 days into the drive").
var notStreetName = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the of on in at to into onto over under down up off out for from with by and or but
		my our your his her their its this that these those more less some many few long hard rough lonely bad good whole
		am pm times time days day weeks week months month years year hours hour minutes minute nights night mornings morning
		steps step miles mile blocks block feet foot inches kg lbs mg ml km metres meters people kids friends meetings
		is was were be been are had has have just only still again every each other different`) {
		m[w] = true
	}
	return m
}()

// street keeps "12 Baker Street" unless a name word is an ordinary one.
func street(text string, s *span, year int) bool {
	if !bounded(text, s, year) {
		return false
	}
	m := text[s.start:s.end]
	words := strings.Fields(m)
	for _, w := range words[1 : len(words)-1] {
		if notStreetName[strings.ToLower(strings.Trim(w, ".,'’-"))] {
			return false
		}
	}
	return true
}

// namedID keeps what follows "insurance number" when it holds at least
// five digits.
func namedID(text string, s *span, year int) bool {
	return bounded(text, s, year) && len(digitsOf(text[s.start:s.end])) >= 5
}
