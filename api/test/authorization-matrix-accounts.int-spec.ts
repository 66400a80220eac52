import { ACCOUNT_ROWS } from './support/authorization-matrix/accounts.rows';
import { describeMatrix } from './support/authorization-matrix/machinery';

// Every caller against every route of this area; the rows are in the support module.
describeMatrix(
  'authorization matrix: health, sign-in, accounts, e-mail and invitations to the caller',
  ACCOUNT_ROWS,
);
