package awsshape

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimestampMarshal(t *testing.T) {
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1700000000, 0), "1700000000"},
		{time.Unix(1700000000, 123_000_000), "1700000000.123"},
		{time.Unix(1700000000, 123_999_999), "1700000000.123"}, // truncated to ms
		{time.Unix(1700000000, 100_000_000), "1700000000.1"},
		{time.Unix(1700000000, 5_000_000), "1700000000.005"},
		{time.Unix(0, 0), "0"},
		{time.Unix(-2, 500_000_000), "-1.5"},
		{time.Unix(4102444800, 0), "4102444800"}, // 2100: no exponent
	}
	for _, c := range cases {
		got, err := json.Marshal(Timestamp{c.t})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("Marshal(%v) = %s, want %s", c.t, got, c.want)
		}
	}
}

func TestTimestampInStruct(t *testing.T) {
	type S struct {
		At   *Timestamp `json:"At,omitempty"`
		Miss *Timestamp `json:"Miss,omitempty"`
	}
	b, err := json.Marshal(S{At: NewTimestamp(time.UnixMilli(1700000000123))})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"At":1700000000.123}` {
		t.Fatalf("got %s", b)
	}
	var back S
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Miss != nil || !back.At.Equal(time.UnixMilli(1700000000123)) {
		t.Fatalf("round trip: %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"At":null}`), &back); err != nil || back.At != nil {
		t.Fatalf("null: %v %+v", err, back)
	}
}

func TestTimestampUnmarshal(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{`1700000000`, time.Unix(1700000000, 0)},
		{`1700000000.123`, time.Unix(1700000000, 123_000_000)},
		{`1700000000.123456789`, time.Unix(1700000000, 123_456_789)},
		{`1.700000000123E9`, time.Unix(1700000000, 123_000_000)},
		{`1.7e9`, time.Unix(1700000000, 0)},
		{`-1.5`, time.Unix(-2, 500_000_000)},
		{`"1700000000.5"`, time.Unix(1700000000, 500_000_000)},
		{`"2023-11-14T22:13:20Z"`, time.Unix(1700000000, 0)},
		{`"2023-11-14T22:13:20.123Z"`, time.Unix(1700000000, 123_000_000)},
		{`"2023-11-14T23:13:20+01:00"`, time.Unix(1700000000, 0)},
		{`"2023-11-14T22:13:20"`, time.Unix(1700000000, 0)},
		{`"20231114T221320Z"`, time.Unix(1700000000, 0)},
	}
	for _, c := range cases {
		var ts Timestamp
		if err := json.Unmarshal([]byte(c.in), &ts); err != nil {
			t.Errorf("Unmarshal(%s): %v", c.in, err)
			continue
		}
		if !ts.Equal(c.want) {
			t.Errorf("Unmarshal(%s) = %v, want %v", c.in, ts.Time, c.want)
		}
	}
	for _, bad := range []string{`"yesterday"`, `true`, `"1.2.3"`, `{}`, `"-"`} {
		var ts Timestamp
		if err := json.Unmarshal([]byte(bad), &ts); err == nil {
			t.Errorf("Unmarshal(%s) succeeded: %v", bad, ts.Time)
		}
	}
}
