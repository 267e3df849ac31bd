package palette

import "math"

// Lab is a colour in CIELAB (D65 white, 2° observer): L from 0 (black) to
// 100 (white), A green (-) to red (+), B blue (-) to yellow (+).
type Lab struct{ L, A, B float64 }

// linear maps an 8-bit sRGB channel to linear light in 0..1.
var linear = func() (t [256]float64) {
	for i := range t {
		v := float64(i) / 255
		if v <= 0.04045 {
			t[i] = v / 12.92
		} else {
			t[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return t
}()

// Linear maps an 8-bit sRGB channel to linear light in 0..1, as sRGB
// (and WCAG 2's relative luminance) defines it.
func Linear(v uint8) float64 { return linear[v] }

// LabOf converts an 8-bit sRGB colour to CIELAB.
func LabOf(r, g, b uint8) Lab { return labOfLinear(linear[r], linear[g], linear[b]) }

// LabOfRGB converts an sRGB colour with fractional channels in 0..255,
// such as the mean of several pixels, to CIELAB.
func LabOfRGB(r, g, b float64) Lab {
	lin := func(v float64) float64 {
		v = max(0, min(1, v/255))
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return labOfLinear(lin(r), lin(g), lin(b))
}

func labOfLinear(lr, lg, lb float64) Lab {
	// sRGB primaries to XYZ (IEC 61966-2-1), divided by the D65 white.
	x := (0.4124564*lr + 0.3575761*lg + 0.1804375*lb) / 0.95047
	y := 0.2126729*lr + 0.7151522*lg + 0.0721750*lb
	z := (0.0193339*lr + 0.1191920*lg + 0.9503041*lb) / 1.08883
	fx, fy, fz := labF(x), labF(y), labF(z)
	return Lab{L: 116*fy - 16, A: 500 * (fx - fy), B: 200 * (fy - fz)}
}

func labF(t float64) float64 {
	const d = 6.0 / 29
	if t > d*d*d {
		return math.Cbrt(t)
	}
	return t/(3*d*d) + 4.0/29
}

// dist2 is the squared CIE76 distance: cheap, and close enough to rank
// palette entries; DeltaE2000 judges the result.
func dist2(p, q Lab) float64 {
	dl, da, db := p.L-q.L, p.A-q.A, p.B-q.B
	return dl*dl + da*da + db*db
}

// DeltaE2000 returns the CIEDE2000 colour difference of p and q with the
// parametric factors kL = kC = kH = 1, as G. Sharma, W. Wu and E. N. Dalal,
// "The CIEDE2000 color-difference formula: implementation notes,
// supplementary test data, and mathematical observations" (Color Research
// and Application 30(1), 2005) give it. About 1 is a just noticeable
// difference side by side.
func DeltaE2000(p, q Lab) float64 {
	const pow25to7 = 6103515625.0 // 25^7
	c1 := math.Hypot(p.A, p.B)
	c2 := math.Hypot(q.A, q.B)
	cbar7 := math.Pow((c1+c2)/2, 7)
	g := 0.5 * (1 - math.Sqrt(cbar7/(cbar7+pow25to7)))
	a1, a2 := (1+g)*p.A, (1+g)*q.A
	c1p, c2p := math.Hypot(a1, p.B), math.Hypot(a2, q.B)
	h1p, h2p := hueDeg(p.B, a1), hueDeg(q.B, a2)

	dL := q.L - p.L
	dC := c2p - c1p
	var dh float64
	if c1p*c2p != 0 {
		dh = h2p - h1p
		switch {
		case dh > 180:
			dh -= 360
		case dh < -180:
			dh += 360
		}
	}
	dH := 2 * math.Sqrt(c1p*c2p) * math.Sin(rad(dh/2))

	lbar := (p.L + q.L) / 2
	cbarp := (c1p + c2p) / 2
	var hbar float64
	switch {
	case c1p*c2p == 0:
		hbar = h1p + h2p
	case math.Abs(h1p-h2p) <= 180:
		hbar = (h1p + h2p) / 2
	case h1p+h2p < 360:
		hbar = (h1p + h2p + 360) / 2
	default:
		hbar = (h1p + h2p - 360) / 2
	}
	t := 1 - 0.17*math.Cos(rad(hbar-30)) + 0.24*math.Cos(rad(2*hbar)) +
		0.32*math.Cos(rad(3*hbar+6)) - 0.20*math.Cos(rad(4*hbar-63))
	dTheta := 30 * math.Exp(-((hbar-275)/25)*((hbar-275)/25))
	cbarp7 := math.Pow(cbarp, 7)
	rc := 2 * math.Sqrt(cbarp7/(cbarp7+pow25to7))
	l50 := (lbar - 50) * (lbar - 50)
	sl := 1 + 0.015*l50/math.Sqrt(20+l50)
	sc := 1 + 0.045*cbarp
	sh := 1 + 0.015*cbarp*t
	rt := -math.Sin(rad(2*dTheta)) * rc
	l, c, h := dL/sl, dC/sc, dH/sh
	return math.Sqrt(l*l + c*c + h*h + rt*c*h)
}

// hueDeg is the hue angle of (a, b) in degrees, 0..360; 0 for a neutral.
func hueDeg(b, a float64) float64 {
	if a == 0 && b == 0 {
		return 0
	}
	h := math.Atan2(b, a) * 180 / math.Pi
	if h < 0 {
		h += 360
	}
	return h
}

func rad(deg float64) float64 { return deg * math.Pi / 180 }
