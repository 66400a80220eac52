import { WIDGET_ROWS } from './support/authorization-matrix/widget.rows';
import { describeMatrix } from './support/authorization-matrix/machinery';

// Every caller against every route of this area; the rows are in the support module.
describeMatrix('authorization matrix: the widget API and its preflights', WIDGET_ROWS);
