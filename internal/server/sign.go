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

// errSignature means an ad-hoc URL's signature is missing, wrong or expired.
var errSignature = errors.New("invalid or expired signature")

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
// not zero the URL stops working after it. q is not modified.
func Sign(key []byte, path string, q url.Values, exp time.Time) string {
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
	return path + "?" + v.Encode()
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
