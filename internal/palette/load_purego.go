//go:build purego || !(amd64 || arm64)

package palette

import "encoding/binary"

// load32, load64, load16 and store16 read and write the little-endian
// word at b[i:], with a bounds check: load_unsafe.go's for other machines
// and the purego build tag.
func load32(b []byte, i int) uint32 { return binary.LittleEndian.Uint32(b[i : i+4]) }

func load64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i : i+8]) }

func load16(b []byte, i int) uint16 { return binary.LittleEndian.Uint16(b[i : i+2]) }

func store16(b []byte, i int, v uint16) { binary.LittleEndian.PutUint16(b[i:i+2], v) }
