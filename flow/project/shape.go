package project

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/authscope/authscope/flow/convex/rules"
)

// Convex serialises the default export with JSON.stringify and reads the
// JSON with serde (backend crates/isolate/src/environment/auth_config.rs,
// crates/common/src/auth.rs). These are its errors for a default export of
// the wrong shape, serde's position suffix stripped as the backend strips
// it (which leaves a trailing space).
const (
	codeMissingExport  = "AuthConfigMissingExportError"
	msgMissingExport   = "auth config file is missing default export. To learn more, see the auth documentation at https://docs.convex.dev/auth."
	codeUnserializable = "AuthConfigUnserializableError"
	msgUnserializable  = "auth config file can only contain strings To learn more, see the auth documentation at https://docs.convex.dev/auth."
	msgSchemaPrefix    = "auth config file must include a list of provider credentials: "
	msgUntagged        = "data did not match any variant of untagged enum SerializedAuthInfo "
)

// configShape is the default export as JSON: whether it has providers,
// and each provider's members in order.
type configShape struct {
	hasProviders bool
	providers    []jsonProvider
}

// jsonProvider is one element of providers.
type jsonProvider struct {
	notObject bool
	members   []jsonMember
}

// jsonMember is one key of a provider: its string value, or its JSON.
type jsonMember struct {
	key      string
	str      string
	isString bool
	raw      string
}

func schemaErr(index int, msg string) *rules.ConfigError {
	return &rules.ConfigError{Code: rules.CodeAuthConfigSchema, Index: index, Message: msgSchemaPrefix + msg}
}

// decodeConfig reads the JSON of the default export.
func decodeConfig(text string) (*configShape, *rules.ConfigError) {
	var top map[string]json.RawMessage
	if !json.Valid([]byte(text)) {
		// "undefined": what V8 gives for a default export JSON drops,
		// such as a function.
		return nil, schemaErr(-1, "expected value ")
	}
	if err := json.Unmarshal([]byte(text), &top); err != nil || top == nil {
		return nil, schemaErr(-1, "invalid type: "+serdeUnexpected(text)+", expected struct SerializedAuthConfig ")
	}
	raw, ok := top["providers"]
	if !ok {
		return &configShape{}, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil || list == nil {
		return nil, schemaErr(-1, "invalid type: "+serdeUnexpected(string(raw))+", expected a sequence ")
	}
	shape := &configShape{hasProviders: true}
	for i, item := range list {
		if i == maxProviders {
			break
		}
		shape.providers = append(shape.providers, decodeProvider(item))
	}
	return shape, nil
}

// decodeProvider reads one provider's members in order.
func decodeProvider(item json.RawMessage) jsonProvider {
	dec := json.NewDecoder(bytes.NewReader(item))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return jsonProvider{notObject: true}
	}
	var p jsonProvider
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		m := jsonMember{key: key, raw: string(v)}
		if err := json.Unmarshal(v, &m.str); err == nil {
			m.isString = true
		}
		p.members = append(p.members, m)
	}
	return p
}

// serdeUnexpected is serde's description of an unexpected JSON value, as
// in `invalid type: string "x", expected …`.
func serdeUnexpected(text string) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return "value"
	}
	switch v := v.(type) {
	case string:
		return "string " + strconv.Quote(v)
	case bool:
		return fmt.Sprintf("boolean `%t`", v)
	case json.Number:
		if _, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return "integer `" + string(v) + "`"
		}
		f, _ := v.Float64()
		return "floating point `" + strconv.FormatFloat(f, 'g', -1, 64) + "`"
	case []any:
		return "sequence"
	case map[string]any:
		return "map"
	case nil:
		return "null"
	}
	return "value"
}
