//go:build !purego && (amd64 || arm64)

package pngenc

import "unsafe"

// load64 reads the little-endian word at data[i:] without a bounds
// check: the paletted compressor's inner loop spends a tenth of its
// instructions on bounds checks otherwise. Callers guarantee 0 <= i and
// i+8 <= len(data). Only on little-endian machines that load unaligned
// words; elsewhere, and with the purego build tag, load_purego.go's
// checked load is used, and the tests pass under both.
func load64(data []byte, i int) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(data)), i))
}
