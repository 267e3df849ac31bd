//go:build !purego && (amd64 || arm64)

package palette

import "unsafe"

// load32, load64, load16 and store16 read and write little-endian words
// at b[i:] without a bounds check: scanUp's loop spent a third of its
// instructions on bounds checks otherwise. Callers guarantee 0 <= i and
// that the word lies within b. Only on little-endian machines that load
// unaligned words; elsewhere, and with the purego build tag,
// load_purego.go's checked versions are used, and the tests pass under
// both.
func load32(b []byte, i int) uint32 {
	return *(*uint32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))
}

func load64(b []byte, i int) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))
}

func load16(b []byte, i int) uint16 {
	return *(*uint16)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))
}

func store16(b []byte, i int, v uint16) {
	*(*uint16)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i)) = v
}
