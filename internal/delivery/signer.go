package delivery

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/store"
)

// SignatureAlgorithm is the digestSignatureAlgorithm of idcenter's digests.
const SignatureAlgorithm = "Ed25519"

// keyContext binds the sealed signing key to its use.
var keyContext = []byte("idcenter delivery digest key")

// signer signs digests with the installation's key.
type signer struct {
	priv        ed25519.PrivateKey
	fingerprint string
}

// loadSigner returns the digest signing key, making and storing it first
// if there is none.
func loadSigner(ctx context.Context, st *store.Store, sealer *secret.Sealer) (*signer, error) {
	k, err := st.R().DeliveryKey(ctx)
	if errors.Is(err, store.ErrNotFound) {
		pub, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, gerr
		}
		err = st.PutDeliveryKeyOnce(ctx, &store.DeliveryKey{
			PublicKey:        base64.StdEncoding.EncodeToString(pub),
			SealedPrivateKey: base64.StdEncoding.EncodeToString(sealer.Seal(priv.Seed(), keyContext)),
			Created:          time.Now(),
		})
		if err == nil {
			k, err = st.R().DeliveryKey(ctx)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("delivery: digest key: %w", err)
	}
	sealed, err := base64.StdEncoding.DecodeString(k.SealedPrivateKey)
	if err != nil {
		return nil, fmt.Errorf("delivery: digest key: %w", err)
	}
	seed, err := sealer.Open(sealed, keyContext)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("delivery: cannot open the digest signing key (is IDCENTER_SECRET_KEY the key the other replicas use?): %v", err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pub, err := publicKey(k)
	if err != nil || !pub.Equal(priv.Public()) {
		return nil, errors.New("delivery: the stored digest public key does not match its private key")
	}
	return &signer{priv: priv, fingerprint: fingerprint(pub)}, nil
}

func publicKey(k *store.DeliveryKey) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(k.PublicKey)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("delivery: the stored digest public key is malformed")
	}
	return ed25519.PublicKey(b), nil
}

// fingerprint is the digestPublicKeyFingerprint: hex SHA-256 of the key.
func fingerprint(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:])
}

// signingString is what a digest's signature signs (CloudTrail's, without
// a bucket).
func signingString(endTime, object, digestHash, prevSignature string) []byte {
	return []byte(endTime + "\n" + object + "\n" + digestHash + "\n" + prevSignature)
}

func (s *signer) sign(endTime, object, digestHash, prevSignature string) string {
	return hex.EncodeToString(ed25519.Sign(s.priv, signingString(endTime, object, digestHash, prevSignature)))
}
