package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MinKeyBytes is the shortest signing key accepted.
const MinKeyBytes = 16

// MaxQueryBytes is the longest query string (the part after "?") of an
// ad-hoc URL the server reads, in bytes; a longer one is answered 400. Sign
// refuses to make such a URL, so the two cannot disagree.
const MaxQueryBytes = 4096

// errSignature means an ad-hoc URL's signature is missing, wrong or expired.
var errSignature = errors.New("invalid or expired signature")

// ErrQueryTooLong means a signed URL's query would be longer than
// MaxQueryBytes, so the server would refuse it.
var ErrQueryTooLong = errors.New("query too long")

// ParseKeys reads signing keys, one per line or separated by commas or
// spaces; empty lines and lines starting with "#" are ignored. The first key
// signs; every key verifies, so two keys allow rotation.
func ParseKeys(text string) ([][]byte, error) {
	var keys [][]byte
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, k := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if len(k) < MinKeyBytes {
				return nil, fmt.Errorf("signing key %d: %d bytes, want at least %d", len(keys)+1, len(k), MinKeyBytes)
			}
			keys = append(keys, []byte(k))
		}
	}
	return keys, nil
}

// canonical is the signed message: the path, then every query parameter but
// sig sorted by name then value, each escaped, joined with "&". Binding the
// path stops a signature being replayed on another endpoint.
func canonical(path string, q url.Values) string {
	var pairs []string
	for k, vs := range q {
		if k == "sig" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	sort.Strings(pairs)
	return path + "?" + strings.Join(pairs, "&")
}

func mac(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// Sign returns path with q and its signature as a query string. When exp is
// not zero the URL stops working after it. q is not modified. It refuses,
// with an error wrapping ErrQueryTooLong that names the longest parameters,
// a URL whose query is over MaxQueryBytes.
func Sign(key []byte, path string, q url.Values, exp time.Time) (string, error) {
	v := url.Values{}
	for k, vs := range q {
		if k != "sig" {
			v[k] = append([]string(nil), vs...)
		}
	}
	if !exp.IsZero() {
		v.Set("exp", strconv.FormatInt(exp.Unix(), 10))
	}
	v.Set("sig", base64.RawURLEncoding.EncodeToString(mac(key, canonical(path, v))))
	query := v.Encode()
	if len(query) > MaxQueryBytes {
		return "", fmt.Errorf("%w: the signed query would be %d bytes and the server reads at most %d; shorten %s",
			ErrQueryTooLong, len(query), MaxQueryBytes, longParams(q))
	}
	return path + "?" + query, nil
}

// longParams names q's parameters by their escaped size, longest first:
// those of 256 bytes or more, or the longest one when none is.
func longParams(q url.Values) string {
	type param struct {
		name  string
		bytes int
	}
	var ps []param
	for k, vs := range q {
		n := 0
		for _, v := range vs {
			n += len(url.QueryEscape(k)) + 1 + len(url.QueryEscape(v)) + 1
		}
		ps = append(ps, param{k, n})
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].bytes != ps[j].bytes {
			return ps[i].bytes > ps[j].bytes
		}
		return ps[i].name < ps[j].name
	})
	var parts []string
	for i, p := range ps {
		if i > 0 && p.bytes < 256 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d bytes)", p.name, p.bytes))
	}
	return strings.Join(parts, ", ")
}

// verify checks q's signature against every key and its expiry against now.
func verify(keys [][]byte, path string, q url.Values, now time.Time) error {
	sigs := q["sig"]
	if len(keys) == 0 || len(sigs) != 1 {
		return errSignature
	}
	got, err := base64.RawURLEncoding.DecodeString(sigs[0])
	if err != nil || len(got) != sha256.Size {
		return errSignature
	}
	msg := canonical(path, q)
	ok := false
	for _, k := range keys {
		if hmac.Equal(got, mac(k, msg)) {
			ok = true
		}
	}
	if !ok {
		return errSignature
	}
	if exps := q["exp"]; len(exps) > 0 {
		if len(exps) != 1 {
			return errSignature
		}
		exp, err := strconv.ParseInt(exps[0], 10, 64)
		if err != nil || now.Unix() > exp {
			return errSignature
		}
	}
	return nil
}
