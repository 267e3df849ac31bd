package pngenc

import (
	"fmt"
	"testing"
)

func TestSumAbs(t *testing.T) {
	naive := func(b []byte) int {
		s := 0
		for _, v := range b {
			d := int(int8(v))
			if d < 0 {
				d = -d
			}
			s += d
		}
		return s
	}
	fill := func(n int, f func(i int) byte) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = f(i)
		}
		return b
	}
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"short", []byte{1, 0xff, 0x80, 0x7f, 0}},
		{"all-0x80-long", fill(5000, func(int) byte { return 0x80 })},
		{"all-0x7f-long", fill(3601, func(int) byte { return 0x7f })},
		{"ramp", fill(4803, func(i int) byte { return byte(i * 7) })},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s-%d", tt.name, len(tt.b)), func(t *testing.T) {
			if got, want := sumAbs(tt.b), naive(tt.b); got != want {
				t.Errorf("sumAbs() = %d, want %d", got, want)
			}
		})
	}
}
