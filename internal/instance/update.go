package instance

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// Update is a change to an instance; nil fields stay as they are.
type Update struct {
	Name                  *string
	Encryption            *Encryption // KeyType and KmsKeyArn
	PermissionSetsEnabled *bool
}

// Update changes the name, encryption or permission-set switch of an
// instance the caller owns. PermissionSetsEnabled accepts only true (it
// cannot be undone) and cannot come with an encryption change.
func (s *Service) Update(ctx context.Context, arn string, u Update) error {
	const op = "instance.Update"
	if u.PermissionSetsEnabled != nil {
		if !*u.PermissionSetsEnabled {
			return errs.E(op, errs.Invalid, "PermissionSetsEnabled only accepts true: permission sets cannot be disabled once enabled")
		}
		if u.Encryption != nil {
			return errs.E(op, errs.Invalid, "You can't set EncryptionConfiguration and PermissionSetsEnabled in the same request")
		}
	}
	if e := u.Encryption; e != nil {
		switch {
		case e.KeyType == KeyCustomerManaged && e.KmsKeyArn == "":
			return errs.E(op, errs.Invalid, "KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY")
		case e.KeyType == KeyAWSOwned && e.KmsKeyArn != "":
			return errs.E(op, errs.Invalid, "KmsKeyArn cannot be specified when KeyType is AWS_OWNED_KMS_KEY")
		}
	}
	in, _, err := s.open(ctx, "UpdateInstance", arn)
	if err != nil {
		return err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.Instance(ctx, arn)
		if err != nil {
			return err
		}
		if cur.Status != StatusActive {
			return errs.E(op, errs.Conflict, "The instance is "+cur.Status)
		}
		if u.Name != nil {
			cur.Name = *u.Name
		}
		if u.PermissionSetsEnabled != nil {
			cur.PermissionSetsEnabled = true
		}
		if e := u.Encryption; e != nil {
			b, _ := json.Marshal(Encryption{KeyType: e.KeyType, KmsKeyArn: e.KmsKeyArn, Status: EncryptionEnabled})
			cur.Encryption = string(b)
			if e.KeyType == KeyAWSOwned {
				cur.Encryption = ""
			}
		}
		cur.Updated = tx.Now
		return tx.UpdateInstance(ctx, cur)
	})
	if errors.Is(err, store.ErrNotFound) {
		return errs.Missing(op, "INSTANCE", arn, "Instance "+arn+" does not exist")
	}
	if err != nil {
		return errs.Wrap(op, err)
	}
	s.cache.forget(in.IdentityStoreID)
	return nil
}
