package search

// Most writing is ASCII, and UAX #29's word boundaries within ASCII come
// down to a few rules on a few classes of character. asciiSegment finds
// them without uniseg's tables, which cost a reply more CPU than sealing it;
// FuzzASCIISegmentsAreUAX29 holds it to uniseg's answer.

// The word-break classes of ASCII characters (UAX #29, table 3).
const (
	wbOther = iota
	wbCR
	wbLF
	wbNewline // vertical tab, form feed
	wbSpace   // WSegSpace: the space alone
	wbLetter  // ALetter
	wbDigit   // Numeric
	wbMidLetter
	wbMidNum
	wbMidNumLet // MidNumLet, and the apostrophe (Single_Quote), which rules 6, 7, 11 and 12 treat alike
	wbExtendNumLet
)

var wbClasses = func() (c [128]uint8) {
	for b := 'a'; b <= 'z'; b++ {
		c[b], c[b-'a'+'A'] = wbLetter, wbLetter
	}
	for b := '0'; b <= '9'; b++ {
		c[b] = wbDigit
	}
	c['\r'], c['\n'], c['\v'], c['\f'], c[' '] = wbCR, wbLF, wbNewline, wbNewline, wbSpace
	c[':'], c[','], c[';'], c['.'], c['\''], c['_'] = wbMidLetter, wbMidNum, wbMidNum, wbMidNumLet, wbMidNumLet, wbExtendNumLet
	return c
}()

// isASCII reports whether text is all ASCII.
func isASCII(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiSegment is the length of the word segment that starts text, which
// must be ASCII and not empty.
func asciiSegment(text string) int {
	class := func(i int) uint8 {
		if i < 0 || i >= len(text) {
			return wbOther
		}
		return wbClasses[text[i]]
	}
	for i := 1; i < len(text); i++ {
		before, after := class(i-1), class(i)
		join := false
		switch {
		case before == wbCR && after == wbLF: // WB3
			join = true
		case before == wbCR || before == wbLF || before == wbNewline || after == wbCR || after == wbLF || after == wbNewline: // WB3a, WB3b
		case before == wbSpace && after == wbSpace: // WB3d
			join = true
		case (before == wbLetter || before == wbDigit) && (after == wbLetter || after == wbDigit): // WB5, WB8, WB9, WB10
			join = true
		case before == wbLetter && (after == wbMidLetter || after == wbMidNumLet): // WB6
			join = class(i+1) == wbLetter
		case (before == wbMidLetter || before == wbMidNumLet) && after == wbLetter: // WB7
			join = class(i-2) == wbLetter
		case before == wbDigit && (after == wbMidNum || after == wbMidNumLet): // WB12
			join = class(i+1) == wbDigit
		case (before == wbMidNum || before == wbMidNumLet) && after == wbDigit: // WB11
			join = class(i-2) == wbDigit
		case after == wbExtendNumLet: // WB13a
			join = before == wbLetter || before == wbDigit || before == wbExtendNumLet
		case before == wbExtendNumLet: // WB13b
			join = after == wbLetter || after == wbDigit
		}
		if !join {
			return i
		}
	}
	return len(text)
}
