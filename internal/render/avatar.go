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
	errs    map[string]error       // path, size, time -> why it is unreadable
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

// Avatar returns a person's decoded photo, or nil (layout.Images): the
// layout then draws initials. AvatarWarnings says why.
func (r *Renderer) Avatar(c *card.Card, p card.Person) image.Image {
	img, _ := r.photo(c, p)
	return img
}

// AvatarWarnings returns a warning for every photo the card names that
// cannot be shown, so initials stand in for it: a URL, a path outside the
// post's folder, a missing, unreadable, too large, corrupt or non-image
// file. Each names the card field ("sessions[2].speakers[0].avatar"), the
// path as written, the person and the reason; a photo named twice is
// reported once, under its first field (authors, then sessions, then
// speakers). Photos are decoded and cached, so drawing them later costs
// nothing more.
func (r *Renderer) AvatarWarnings(c *card.Card) []string {
	var out []string
	seen := map[string]bool{}
	check := func(field string, p card.Person) {
		if p.Avatar == "" || seen[p.Avatar] {
			return
		}
		seen[p.Avatar] = true
		if _, err := r.photo(c, p); err != nil {
			out = append(out, fmt.Sprintf("%s %q (%s): %v; showing initials instead", field, p.Avatar, p.Name, err))
		}
	}
	for i, p := range c.Authors {
		check(fmt.Sprintf("authors[%d].avatar", i), p)
	}
	for i, s := range c.Sessions {
		for j, p := range s.Speakers {
			check(fmt.Sprintf("sessions[%d].speakers[%d].avatar", i, j), p)
		}
	}
	for i, p := range c.Speakers {
		check(fmt.Sprintf("speakers[%d].avatar", i), p)
	}
	return out
}

// photo returns a person's decoded photo, nil and nil when they name none,
// or nil and the reason it cannot be shown.
func (r *Renderer) photo(c *card.Card, p card.Person) (image.Image, error) {
	return r.photoIn(&r.avatars, maxAvatars, c, p)
}

// maxCovers bounds the decoded cover pictures kept: unlike speakers'
// photos, a cover belongs to one post, whose few templates are drawn one
// after another by one worker, and it may be large.
const maxCovers = 8

// coverPerson stands a post's cover picture in for a person's photo, so it
// is found, refused and read exactly as photos are.
func coverPerson(c *card.Card) card.Person { return card.Person{Name: "cover", Avatar: c.Cover} }

// Cover returns the post's decoded cover picture, or nil (layout.Images):
// the layer is then left out. CoverWarning says why.
func (r *Renderer) Cover(c *card.Card) image.Image {
	img, _ := r.photoIn(&r.covers, maxCovers, c, coverPerson(c))
	return img
}

// CoverWarning says why the cover picture c names cannot be drawn (a URL,
// a path outside the post's folder, a missing or corrupt file), or "".
func (r *Renderer) CoverWarning(c *card.Card) string {
	if c.Cover == "" {
		return ""
	}
	if _, err := r.photoIn(&r.covers, maxCovers, c, coverPerson(c)); err != nil {
		return fmt.Sprintf("cover %q: %v; the card is drawn without it", c.Cover, err)
	}
	return ""
}

func (r *Renderer) photoIn(cache *avatarCache, limit int, c *card.Card, p card.Person) (image.Image, error) {
	if p.Avatar == "" {
		return nil, nil
	}
	dir, rel, ok := r.avatarPath(c, p)
	switch {
	case !ok && c.Source == "":
		return nil, errors.New("the card has no post file to find it beside")
	case !ok:
		return nil, errors.New("is a URL, and ogcard fetches nothing; save the photo beside the post and give its path")
	case !filepath.IsLocal(rel):
		return nil, fmt.Errorf("is outside the post's folder %s; ogcard reads photos only from there and below", dir)
	}
	// Keyed by size and time too, so a replaced photo is read again.
	key := filepath.Join(dir, rel)
	if st, err := os.Stat(key); err == nil {
		key = fmt.Sprintf("%s\x00%d\x00%d", key, st.Size(), st.ModTime().UnixNano())
	}
	cache.mu.Lock()
	img, hit := cache.m[key]
	err := cache.errs[key]
	cache.mu.Unlock()
	if hit {
		return img, err
	}
	img, err = loadAvatar(dir, rel)
	cache.mu.Lock()
	if cache.m == nil || len(cache.m) >= limit {
		cache.m = map[string]image.Image{}
		cache.errs = nil
	}
	if cache.errs == nil {
		cache.errs = map[string]error{}
	}
	cache.m[key] = img
	if err != nil {
		cache.errs[key] = err
	}
	cache.mu.Unlock()
	return img, err
}

// loadAvatar reads and decodes dir/rel, refusing to leave dir (also through
// symbolic links). Its errors are reasons for a warning, without the path.
func loadAvatar(dir, rel string) (image.Image, error) {
	// safefile refuses a named pipe, socket, device or folder without
	// blocking on it; Key has already failed the card for one, this covers
	// a file swapped since.
	f, err := safefile.OpenInRoot(dir, rel)
	var notRegular *safefile.NotRegularError
	switch {
	case errors.As(err, &notRegular) && notRegular.Mode.IsDir():
		return nil, errors.New("is a folder, not an image")
	case errors.As(err, &notRegular):
		return nil, fmt.Errorf("is %s, not an image file", safefile.Kind(notRegular.Mode))
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("no such file in %s", dir)
	case err != nil:
		if st, lerr := os.Lstat(filepath.Join(dir, rel)); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("is a symbolic link that leads outside the post's folder %s; "+
				"ogcard reads photos only from there and below", dir)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot be opened: %w", err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
		switch {
		case st.IsDir():
			return nil, errors.New("is a folder, not an image")
		case !st.Mode().IsRegular():
			return nil, fmt.Errorf("is not a regular file (%s)", st.Mode().Type())
		case st.Size() > imageio.MaxBytes:
			return nil, fmt.Errorf("%w: %d bytes, the limit is %d; scale it down", imageio.ErrTooBig, st.Size(), imageio.MaxBytes)
		}
	}
	data, err := safefile.ReadUpTo(f, imageio.MaxBytes+1, size)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", err)
	}
	img, err := imageio.Decode(rel, data)
	if err != nil {
		return nil, err
	}
	return img, nil
}

// avatarHash hashes the photo files a card names, so replacing a photo
// changes the card's key. A missing photo is hashed as such (the card
// shows initials); one that is not a regular file (a named pipe, socket,
// device or folder) is an error naming the post and the photo.
func (r *Renderer) avatarHash(c *card.Card) (string, error) {
	h := sha256.New()
	people := c.People()
	if c.Cover != "" {
		people = append(people, coverPerson(c))
	}
	for _, p := range people {
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
	if _, err := io.Copy(sum, io.LimitReader(f, imageio.MaxBytes)); err != nil {
		// Not cached: a hash of part of the file would stand for it until
		// the file's size or time changed.
		return "", fmt.Errorf("%s: %w", rel, err)
	}
	d = hex.EncodeToString(sum.Sum(nil))
	r.avatars.mu.Lock()
	if len(r.avatars.digests) >= maxAvatars {
		clear(r.avatars.digests)
	}
	r.avatars.digests[id] = d
	r.avatars.mu.Unlock()
	return d, nil
}

// photoExts are the extensions folderPhotos tries, in order.
var photoExts = []string{".jpg", ".jpeg", ".png", ".webp"}

// folderPhotos gives the speakers of an event post who have no photo the
// one saved beside the post under their name: "Mahé Tardy" is
// mahe-tardy.jpg (or .jpeg, .png, .webp). It stats at most four files per
// distinct speaker, up to 100 speakers.
func (r *Renderer) folderPhotos(c *card.Card) {
	if len(c.Sessions) == 0 || c.Source == "" {
		return
	}
	dir := filepath.Dir(c.Source)
	if !filepath.IsAbs(dir) && r.contentRoot != "" {
		dir = filepath.Join(r.contentRoot, dir)
	}
	found := map[string]string{}
	look := func(name string) string {
		if v, ok := found[name]; ok || len(found) >= 100 {
			return v
		}
		v := ""
		if slug := card.PersonSlug(name); slug != "" {
			for _, ext := range photoExts {
				if st, err := os.Stat(filepath.Join(dir, slug+ext)); err == nil && st.Mode().IsRegular() {
					v = slug + ext
					break
				}
			}
		}
		found[name] = v
		return v
	}
	fill := func(ps []card.Person) {
		for i := range ps {
			if ps[i].Avatar == "" {
				ps[i].Avatar = look(ps[i].Name)
			}
		}
	}
	fill(c.Speakers)
	for i := range c.Sessions {
		fill(c.Sessions[i].Speakers)
	}
}
