// jest globalSetup: see skip-summary.ts.
import { startRecording } from './skip-summary';

export default function setup(): void {
  startRecording();
}
