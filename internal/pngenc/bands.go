package pngenc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
)

// band is one horizontal slice of the image, compressed on its own.
type band struct {
	y0, y1 int
	out    bytes.Buffer
	adler  uint32
	n      int64 // filtered bytes fed to deflate
	err    error
}

var bandPools [10]sync.Pool // *bandState per compression level

var bandSets sync.Pool // *[]band, for writeBands

type bandState struct {
	st state
	fw *flate.Writer
}

// encodeBands compresses row bands in parallel. Each band is raw deflate
// ending in a sync flush (the last in a final block), so the bands
// concatenate into one valid stream; the zlib checksum is combined from the
// bands' own, as zlib's adler32_combine does.
func encodeBands(w io.Writer, src *source, filter Filter, level, idatMax, n, workers int) error {
	return writeBands(w, src, level, idatMax, n, workers, func(b *band, last bool) error {
		return compressBand(b, src, filter, level, last)
	})
}

// writeBands cuts src into n bands of rows, has compress fill in each
// band's raw deflate stream (the last one ending in a final block) and
// checksum, on up to workers goroutines, and writes the PNG.
func writeBands(w io.Writer, src *source, level, idatMax, n, workers int, compress func(b *band, last bool) error) error {
	// The bands and their output buffers are reused: fresh ones were a
	// tenth of a corpus build's allocation.
	set, _ := bandSets.Get().(*[]band)
	if set == nil {
		set = new([]band)
	}
	defer bandSets.Put(set)
	if cap(*set) < n {
		*set = make([]band, n)
	}
	bs := (*set)[:n]
	for i := range bs {
		b := &bs[i]
		b.y0, b.y1 = i*src.h/n, (i+1)*src.h/n
		b.out.Reset()
		b.adler, b.n, b.err = 0, 0, nil
	}
	// workers goroutines take bands in turn; with one, the caller does it
	// all, so a caller that bounds its own concurrency stays bounded.
	next := make(chan int, n)
	for i := range bs {
		next <- i
	}
	close(next)
	work := func() {
		for i := range next {
			bs[i].err = compress(&bs[i], i == n-1)
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	for i := range bs {
		if bs[i].err != nil {
			return bs[i].err
		}
	}

	st := getState(level)
	defer putState(level, st)
	if err := st.writeHeader(w, src); err != nil {
		return err
	}
	st.idat.reset(w, idatMax)
	// zlib header: deflate, 32 KiB window, the level's FLEVEL, FCHECK.
	hdr := zlibHeader(level)
	adler := uint32(1)
	write := func(p []byte) error {
		_, err := st.idat.Write(p)
		return err
	}
	if err := write(hdr[:]); err != nil {
		return fmt.Errorf("pngenc: write image data: %w", err)
	}
	for i := range bs {
		if err := write(bs[i].out.Bytes()); err != nil {
			return fmt.Errorf("pngenc: write image data: %w", err)
		}
		adler = adler32Combine(adler, bs[i].adler, bs[i].n)
	}
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], adler)
	if err := write(sum[:]); err != nil {
		return fmt.Errorf("pngenc: write image data: %w", err)
	}
	if err := st.idat.finish(); err != nil {
		return fmt.Errorf("pngenc: write image data: %w", err)
	}
	return nil
}

func compressBand(b *band, src *source, filter Filter, level int, last bool) error {
	bst, _ := bandPools[level].Get().(*bandState)
	if bst == nil {
		bst = &bandState{}
	}
	defer bandPools[level].Put(bst)
	b.out.Grow((b.y1 - b.y0) * (1 + src.w*src.bpp) / 8)
	if bst.fw == nil {
		fw, err := flate.NewWriter(&b.out, level)
		if err != nil {
			return fmt.Errorf("pngenc: %w", err)
		}
		bst.fw = fw
	} else {
		bst.fw.Reset(&b.out)
	}
	st := &bst.st
	st.prepareRows(src, filter)
	if filter != FilterNone && b.y0 > 0 {
		src.row(st.prev[1:], b.y0-1) // Up, Average and Paeth look at the row above
	}
	h := adler32.New()
	for y := b.y0; y < b.y1; y++ {
		src.row(st.cur[1:], y)
		out := st.filterRow(filter, src.bpp)
		h.Write(out)
		b.n += int64(len(out))
		if _, err := bst.fw.Write(out); err != nil {
			return fmt.Errorf("pngenc: write image data: %w", err)
		}
		st.cur, st.prev = st.prev, st.cur
	}
	b.adler = h.Sum32()
	var err error
	if last {
		err = bst.fw.Close()
	} else {
		err = bst.fw.Flush()
	}
	if err != nil {
		return fmt.Errorf("pngenc: write image data: %w", err)
	}
	return nil
}

// zlibHeader returns the two zlib header bytes for a level (RFC 1950).
func zlibHeader(level int) [2]byte {
	const cmf = 0x78 // deflate, 32 KiB window
	var flevel byte
	switch {
	case level <= 1:
		flevel = 0
	case level <= 5:
		flevel = 1
	case level == 6:
		flevel = 2
	default:
		flevel = 3
	}
	flg := flevel << 6
	flg += 31 - byte((uint16(cmf)<<8|uint16(flg))%31)
	return [2]byte{cmf, flg}
}

// adler32Combine returns the Adler-32 of A+B from the sums of A and B and
// B's length, as zlib's adler32_combine.
func adler32Combine(a1, a2 uint32, len2 int64) uint32 {
	const base = 65521
	rem := uint32(len2 % base)
	sum1 := a1 & 0xffff
	sum2 := (rem * sum1) % base
	sum1 += (a2 & 0xffff) + base - 1
	sum2 += (a1 >> 16) + (a2 >> 16) + base - rem
	if sum1 >= base {
		sum1 -= base
	}
	if sum1 >= base {
		sum1 -= base
	}
	if sum2 >= base<<1 {
		sum2 -= base << 1
	}
	if sum2 >= base {
		sum2 -= base
	}
	return sum2<<16 | sum1
}
