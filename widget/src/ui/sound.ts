/**
 * A short, quiet chime made on the spot (no audio file to download). Browsers allow
 * sound only after the visitor has interacted with the page; otherwise this stays silent.
 */
export function chime(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    const now = audio.currentTime;
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.08, now);
    volume.gain.exponentialRampToValueAtTime(0.001, now + 0.3);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(now + 0.3);
    tone.onended = () => void audio.close();
  } catch {
    // No Web Audio here: a silent widget is fine.
  }
}
