package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/imageio"
	"github.com/ogcard/ogcard/internal/safefile"
)

// avatarCache keeps decoded speaker photos: the same people appear on
// many cards. It is bounded; a full cache is emptied.
type avatarCache struct {
	mu      sync.Mutex
	m       map[string]image.Image // path, size, time -> image, nil for unreadable
	digests map[string]string      // path, size, time -> sha256 of the file
}

const maxAvatars = 256

// avatarPath resolves a person's photo, written relative to the post, and
// refuses URLs (ogcard fetches nothing) and anything outside the post's
// folder.
func (r *Renderer) avatarPath(c *card.Card, p card.Person) (dir, rel string, ok bool) {
	a := p.Avatar
	if a == "" || c.Source == "" || strings.Contains(a, "://") || strings.HasPrefix(a, "//") {
		return "", "", false
	}
	dir = filepath.Dir(c.Source)
	if !filepath.IsAbs(dir) && r.contentRoot != "" {
		// serve reads posts by their path inside the content root.
		dir = filepath.Join(r.contentRoot, dir)
	}
	return dir, filepath.FromSlash(strings.TrimPrefix(a, "./")), true
}

// Avatar returns a person's decoded photo, or nil (layout.Images).
func (r *Renderer) Avatar(c *card.Card, p card.Person) image.Image {
	dir, rel, ok := r.avatarPath(c, p)
	if !ok {
		return nil
	}
	// Keyed by size and time too, so a replaced photo is read again.
	key := filepath.Join(dir, rel)
	if st, err := os.Stat(key); err == nil {
		key = fmt.Sprintf("%s\x00%d\x00%d", key, st.Size(), st.ModTime().UnixNano())
	}
	r.avatars.mu.Lock()
	img, hit := r.avatars.m[key]
	r.avatars.mu.Unlock()
	if hit {
		return img
	}
	img = loadAvatar(dir, rel)
	r.avatars.mu.Lock()
	if len(r.avatars.m) >= maxAvatars {
		clear(r.avatars.m)
	}
	r.avatars.m[key] = img
	r.avatars.mu.Unlock()
	return img
}

// loadAvatar decodes a photo, or returns nil (the person's initials are
// drawn instead). safefile refuses a named pipe or device without blocking;
// Key has already failed the card for one, this covers a file swapped
// since.
func loadAvatar(dir, rel string) image.Image {
	f, err := safefile.OpenInRoot(dir, rel)
	if err != nil {
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, imageio.MaxBytes+1))
	if err != nil {
		return nil
	}
	img, err := imageio.Decode(rel, data)
	if err != nil {
		return nil
	}
	return img
}

// avatarHash hashes the photo files a card names, so replacing a photo
// changes the card's key. A missing photo is hashed as such (the card
// shows initials); one that is not a regular file (a named pipe, socket,
// device or folder) is an error naming the post and the photo.
func (r *Renderer) avatarHash(c *card.Card) (string, error) {
	h := sha256.New()
	for _, p := range c.People() {
		dir, rel, ok := r.avatarPath(c, p)
		if !ok {
			continue
		}
		d, err := r.photoDigest(dir, rel)
		if err != nil {
			return "", fmt.Errorf("%s: %s's photo %s: %w", c.Source, p.Name, p.Avatar, err)
		}
		fmt.Fprintf(h, "%s %s\n", rel, d)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// photoDigest hashes a photo's bytes once per path, size and modification
// time: every template's key of every post that shows the photo needs it,
// and rereading the file for each would be I/O per card.
//
// It never blocks on a named pipe: the file is checked to be regular
// before it is opened, and opened without blocking (safefile). That
// matters in serve, where keys are computed on the request's goroutine
// before a render worker is taken.
func (r *Renderer) photoDigest(dir, rel string) (string, error) {
	full := filepath.Join(dir, rel)
	st, err := os.Stat(full)
	if err != nil {
		return "missing", nil
	}
	if !st.Mode().IsRegular() {
		return "", &fs.PathError{Op: "open", Path: rel, Err: &safefile.NotRegularError{Mode: st.Mode()}}
	}
	id := fmt.Sprintf("%s\x00%d\x00%d", full, st.Size(), st.ModTime().UnixNano())
	r.avatars.mu.Lock()
	d, ok := r.avatars.digests[id]
	r.avatars.mu.Unlock()
	if ok {
		return d, nil
	}
	f, err := safefile.OpenInRoot(dir, rel)
	if errors.Is(err, safefile.ErrNotRegular) {
		return "", err
	}
	if err != nil {
		return "missing", nil
	}
	defer f.Close()
	sum := sha256.New()
	io.Copy(sum, io.LimitReader(f, imageio.MaxBytes))
	d = hex.EncodeToString(sum.Sum(nil))
	r.avatars.mu.Lock()
	if len(r.avatars.digests) >= maxAvatars {
		clear(r.avatars.digests)
	}
	r.avatars.digests[id] = d
	r.avatars.mu.Unlock()
	return d, nil
}
