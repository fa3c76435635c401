package project

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
)

// sourceMap is a decoded version 3 source map, as esbuild writes it for
// the bundle (https://sourcemaps.info/spec.html). It maps a place in the
// bundle back to the file and line a finding must name.
//
// It is decoded here rather than with github.com/go-sourcemap/sourcemap
// (which goja depends on) because that package drops every mapping that
// points at line 1, column 0 of a source, which is exactly where a
// one-line config or an imported helper starts.
type sourceMap struct {
	sources []string
	// lines holds, per generated line, its segments by generated column.
	lines [][]segment
}

// segment maps one generated column to a place in a source (all 0-based;
// col counts UTF-16 code units, as the format does).
type segment struct {
	genCol, src, line, col int
}

func parseSourceMap(data []byte) (*sourceMap, error) {
	var raw struct {
		Version  int      `json:"version"`
		Sources  []string `json:"sources"`
		Mappings string   `json:"mappings"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw.Version != 3 {
		return nil, errors.New("not a version 3 source map")
	}
	m := &sourceMap{sources: raw.Sources}
	var line []segment
	var src, sLine, sCol int
	for _, group := range strings.Split(raw.Mappings, ";") {
		genCol := 0
		for _, field := range strings.Split(group, ",") {
			if field == "" {
				continue
			}
			v, err := decodeVLQs(field)
			if err != nil {
				return nil, err
			}
			genCol += v[0]
			if len(v) < 4 {
				continue // a column with no source
			}
			src, sLine, sCol = src+v[1], sLine+v[2], sCol+v[3]
			line = append(line, segment{genCol: genCol, src: src, line: sLine, col: sCol})
		}
		sort.SliceStable(line, func(i, j int) bool { return line[i].genCol < line[j].genCol })
		m.lines = append(m.lines, line)
		line = nil
	}
	return m, nil
}

// lookup returns the source place of a 0-based generated line and column:
// that of the last segment at or before the column on that line.
func (m *sourceMap) lookup(genLine, genCol int) (seg segment, ok bool) {
	if genLine < 0 || genLine >= len(m.lines) {
		return segment{}, false
	}
	segs := m.lines[genLine]
	i := sort.Search(len(segs), func(i int) bool { return segs[i].genCol > genCol }) - 1
	if i < 0 || segs[i].src < 0 || segs[i].src >= len(m.sources) {
		return segment{}, false
	}
	return segs[i], true
}

const base64Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

var errVLQ = errors.New("bad VLQ in source map")

// decodeVLQs decodes a field of base64 VLQ numbers.
func decodeVLQs(s string) ([]int, error) {
	var out []int
	shift, value := 0, 0
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(base64Digits, s[i])
		if d < 0 || shift > 30 {
			return nil, errVLQ
		}
		value += (d & 31) << shift
		if d&32 != 0 {
			shift += 5
			continue
		}
		n := value >> 1
		if value&1 != 0 {
			n = -n
		}
		out = append(out, n)
		shift, value = 0, 0
	}
	if shift != 0 {
		return nil, errVLQ
	}
	return out, nil
}
