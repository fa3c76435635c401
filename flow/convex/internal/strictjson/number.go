package strictjson

import (
	"errors"
	"math"
	"strconv"
)

// NumberKind is how serde_json holds a number in a Value.
type NumberKind uint8

// Number kinds: a non-negative integer that fits a u64, a negative one that
// fits an i64, and every other number (fractions, exponents, integers too
// large, and "-0", which serde_json reads as -0.0).
const (
	Uint NumberKind = iota + 1
	Int
	Float
)

// Num is a JSON number classified the way serde_json's parser does.
type Num struct {
	Kind NumberKind
	U    uint64
	I    int64
	F    float64
}

// ParseNumber classifies a checked JSON number; ok is false when raw is not
// a finite number.
func ParseNumber(raw []byte) (n Num, ok bool) {
	s := string(raw)
	integer := true
	for _, c := range raw {
		if c == '.' || c == 'e' || c == 'E' {
			integer = false
			break
		}
	}
	if integer && len(raw) > 0 {
		if raw[0] == '-' {
			if v, err := strconv.ParseInt(s, 10, 64); err == nil && v != 0 {
				return Num{Kind: Int, I: v}, true
			}
		} else if v, err := strconv.ParseUint(s, 10, 64); err == nil {
			return Num{Kind: Uint, U: v}, true
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if (err != nil && !errors.Is(err, strconv.ErrRange)) || math.IsInf(f, 0) {
		return Num{}, false
	}
	return Num{Kind: Float, F: f}, true
}

// Float returns the number as an f64.
func (n Num) Float() float64 {
	switch n.Kind {
	case Uint:
		return float64(n.U)
	case Int:
		return float64(n.I)
	}
	return n.F
}
