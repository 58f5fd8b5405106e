import { MeasureCatalogue } from '../assistance/MeasureCatalogue';

/** /console/measures — 帮扶措施库: the catalogue M1–M10; the city administrator edits a measure. */
export function MeasuresPage() {
  return <MeasureCatalogue />;
}
