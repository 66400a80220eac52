import { ORGANIZATION_ROWS } from './support/authorization-matrix/organizations.rows';
import { describeMatrix } from './support/authorization-matrix/machinery';

// Every caller against every route of this area; the rows are in the support module.
describeMatrix('authorization matrix: organizations, members, API keys and audit', ORGANIZATION_ROWS);
