package sigv4

import (
	"context"
	"testing"
)

// BenchmarkVerify measures the common case: a JSON POST signed by
// aws-sdk-go-v2 in the Authorization header, with a cached signing key.
func BenchmarkVerify(b *testing.B) {
	r := signed(b, "POST", "https://"+testHost+"/", jsonBody, jsonHeaders(), longKey, testNow)
	body := []byte(jsonBody)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Verify(ctx, r, body, testNow, testLookup); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyParallel is BenchmarkVerify from GOMAXPROCS goroutines.
func BenchmarkVerifyParallel(b *testing.B) {
	r := signed(b, "POST", "https://"+testHost+"/", jsonBody, jsonHeaders(), longKey, testNow)
	body := []byte(jsonBody)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := Verify(ctx, r, body, testNow, testLookup); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyPresigned measures a presigned GET.
func BenchmarkVerifyPresigned(b *testing.B) {
	r := presigned(b, "https://"+testHost+"/?Action=Get", "300", tempKey, testNow)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Verify(ctx, r, nil, testNow, testLookup); err != nil {
			b.Fatal(err)
		}
	}
}
