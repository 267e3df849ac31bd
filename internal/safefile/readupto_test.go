package safefile

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadUpTo: whatever the size said, ReadUpTo returns exactly what
// the reader holds, up to its cap, in one allocation when the size was
// right; short reads, data returned with io.EOF and a failing reader
// included.
func TestReadUpTo(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 1000) // 16,000 bytes
	for _, tt := range []struct {
		name string
		r    func() io.Reader
		size int64
	}{
		{"exact", func() io.Reader { return bytes.NewReader(data) }, 16000},
		{"file grew", func() io.Reader { return bytes.NewReader(data) }, 100},
		{"file shrank", func() io.Reader { return bytes.NewReader(data) }, 50000},
		{"no size", func() io.Reader { return bytes.NewReader(data) }, 0},
		{"negative size", func() io.Reader { return bytes.NewReader(data) }, -5},
		{"one byte a read", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) }, 16000},
		{"data with EOF", func() io.Reader { return iotest.DataErrReader(bytes.NewReader(data)) }, 16000},
	} {
		got, err := ReadUpTo(tt.r(), 1<<20, tt.size)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: %d bytes, %v; want the %d bytes", tt.name, len(got), err, len(data))
		}
	}
	rd := bytes.NewReader(data)
	if n := testing.AllocsPerRun(20, func() { rd.Reset(data); ReadUpTo(rd, 1<<20, 16000) }); n != 1 {
		t.Errorf("a read of the size given made %v allocations, want 1", n)
	}
	boom := errors.New("boom")
	if _, err := ReadUpTo(iotest.ErrReader(boom), 100, 10); !errors.Is(err, boom) {
		t.Errorf("a failing reader: %v, want its error", err)
	}
	for _, size := range []int64{0, 5000, 1 << 30} {
		if got, _ := ReadUpTo(bytes.NewReader(data), 9999, size); len(got) != 9999 {
			t.Errorf("capped at 9,999 bytes (size %d): %d bytes", size, len(got))
		}
	}
}
