package text

import (
	"os"
	"strings"
	"sync"
	"testing"
)

var (
	libOnce sync.Once
	testLib *Library
)

// lib loads the embedded font set from the repository's fonts folder.
func lib(t testing.TB) *Library {
	t.Helper()
	libOnce.Do(func() {
		l := NewLibrary(nil)
		if err := l.LoadFS(os.DirFS("../../fonts")); err != nil {
			panic(err)
		}
		testLib = l
	})
	return testLib
}

func withMin(s Style, min float64) Style { s.MinSizePx = min; return s }

func TestLayoutLines(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	title := Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 72, MinSizePx: 40, LineHeight: 1.15, MaxLines: 3, Balance: true}
	tests := []struct {
		name      string
		text      string
		style     Style
		boxW      float64
		boxH      float64
		wantLines int
		wantSize  float64 // 0: don't check
		truncated bool
	}{
		{"short title keeps max size", "Hello, world", title, 1000, 300, 1, 72, false},
		{"reference title", "Cilium at KubeCon + CloudNativeCon and CiliumCon Europe 2026", title, 1000, 300, 3, 72, false},
		{"long title shrinks", strings.Repeat("Networking, security and observability ", 3), title, 1000, 300, 3, 0, false},
		{"170 chars", "How Bell Canada, Datadog, Form3, Isovalent, Microsoft and Palantir Run Cilium at Massive Scale: Lessons Learned From a Decade of eBPF Networking in Production", withMin(title, 34), 1060, 300, 3, 0, false},
		{"too long ends in ellipsis", strings.Repeat("word ", 200), title, 1000, 300, 3, 40, true},
		{"chinese wraps between characters", "在 React 中使用服务器组件获取数据的新方法以及它为什么比以前的客户端渲染方法更快更简单", title, 800, 300, 3, 0, false},
		{"unbreakable word breaks between graphemes", strings.Repeat("a", 300), title, 600, 300, 3, 40, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := sh.Layout(tt.text, tt.style, tt.boxW, tt.boxH)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Lines) != tt.wantLines {
				t.Errorf("Layout(%q) = %d lines, want %d", tt.text, len(b.Lines), tt.wantLines)
			}
			if tt.wantSize != 0 && b.SizePx != tt.wantSize {
				t.Errorf("size = %g, want %g", b.SizePx, tt.wantSize)
			}
			if b.SizePx < tt.style.MinSizePx || b.SizePx > tt.style.MaxSizePx {
				t.Errorf("size %g outside [%g, %g]", b.SizePx, tt.style.MinSizePx, tt.style.MaxSizePx)
			}
			if b.Truncated != tt.truncated {
				t.Errorf("truncated = %v, want %v", b.Truncated, tt.truncated)
			}
			for i, l := range b.Lines {
				if l.XPx < -0.01 || l.XPx+l.WidthPx > tt.boxW+0.01 {
					t.Errorf("line %d spans x %.1f..%.1f, box is 0..%g", i, l.XPx, l.XPx+l.WidthPx, tt.boxW)
				}
			}
			if b.HeightPx > tt.boxH+0.01 {
				t.Errorf("height %.1f > box %g", b.HeightPx, tt.boxH)
			}
			t.Logf("size %.2f lines %d widths %v", b.SizePx, len(b.Lines), widths(b))
		})
	}
}

func widths(b Block) []int {
	var w []int
	for _, l := range b.Lines {
		w = append(w, int(l.WidthPx))
	}
	return w
}
