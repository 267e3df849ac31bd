package post

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadSized: whatever the size said, readSized returns exactly what
// the reader holds, in one allocation when the size was right; short
// reads, data returned with io.EOF and a failing reader included.
func TestReadSized(t *testing.T) {
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
		got, err := readSized(tt.r(), tt.size)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: %d bytes, %v; want the %d bytes", tt.name, len(got), err, len(data))
		}
	}
	rd := bytes.NewReader(data)
	if n := testing.AllocsPerRun(20, func() { rd.Reset(data); readSized(rd, 16000) }); n != 1 {
		t.Errorf("a read of the size given made %v allocations, want 1", n)
	}
	boom := errors.New("boom")
	if _, err := readSized(iotest.ErrReader(boom), 10); !errors.Is(err, boom) {
		t.Errorf("a failing reader: %v, want its error", err)
	}
	over, _ := readSized(io.LimitReader(bytes.NewReader(make([]byte, MaxFileBytes+10)), MaxFileBytes+1), MaxFileBytes+10)
	if len(over) != MaxFileBytes+1 {
		t.Errorf("a file over the cap gave %d bytes, want the cap and one", len(over))
	}
}
