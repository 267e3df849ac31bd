//go:build purego || !(amd64 || arm64)

package pngenc

import "encoding/binary"

// load64 reads the little-endian word at data[i:], with a bounds check:
// load_unsafe.go's load for other machines and the purego build tag.
func load64(data []byte, i int) uint64 { return binary.LittleEndian.Uint64(data[i : i+8]) }
