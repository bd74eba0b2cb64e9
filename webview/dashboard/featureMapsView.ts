/**
 * Feature maps of one sample: the input with its Grad-CAM, the first layer's filters, and a channel grid
 * per conv/pool layer. A slider scrubs through the epochs the host captured; a picker (or the designer,
 * via `revealLayer`) narrows the view to one layer.
 *
 * A sample picked in the evaluation ("Show feature maps") is shown in place of the training sample's
 * series, under a bar that says so; the series is kept, and "Back to the training sample" (or Esc)
 * shows it again and returns the focus to where the pick was made.
 */
import type { DashboardState } from './state';
import type { FeatureMapSnapshot } from '../../src/protocol/dashboard';
import { postToHost } from './vscodeApi';
import { drawChannelGrid, drawFilters, drawImage } from './tiles';
import { el, emptyState, basename, button } from './dom';
import { fmtPercent } from './chart';
import { epochCaptureText } from './epochCaptureLabel';

const ALL = '__all__';

/** Says which layer (and its resolution: a 4×4 map is coarse) and which score the overlay comes from. */
function gradCamHint(snap: FeatureMapSnapshot): string {
  const cam = snap.gradCam!;
  const layer = snap.layers.find((l) => l.layerId === cam.layerId);
  const grid = layer ? ` (${layer.shape[0]}×${layer.shape[1]}, upsampled)` : '';
  const score = cam.score === 'logit' ? 'score (before softmax)' : 'output';
  return `Grad-CAM at ${cam.layerId}${grid} for the ${score} of “${cam.className}”: bright = regions that drove that class.`;
}

function sampleName(snap: FeatureMapSnapshot): string {
  return snap.sample.path ? basename(snap.sample.path) : snap.sample.datasetIndex !== null ? `validation sample #${snap.sample.datasetIndex}` : 'sample';
}

export class FeatureMapsView {
  readonly root: HTMLElement;
  private readonly body = el('div', { className: 'fm-body' });
  private readonly empty = emptyState('Feature maps appear here after the first epoch.');
  private readonly picker = document.createElement('vscode-dropdown');
  private readonly slider = el('input', { attrs: { type: 'range', id: 'fm-epoch', min: '0', max: '0', step: '1', 'aria-label': 'Epoch' } });
  private readonly sliderLabel = el('label', { attrs: { for: 'fm-epoch' } });
  private readonly epochControl = el('span', { className: 'control' }, [this.sliderLabel, this.slider]);
  private readonly captureNote = el('p', { className: 'hint', attrs: { 'data-role': 'capture-note', hidden: '' } });
  private readonly pickedText = el('span');
  private readonly backButton = button('Back to the training sample', () => this.back(), {
    secondary: true,
    id: 'fm-back',
    title: "Show the training sample's maps over the epochs again (Esc)",
  });
  private readonly pickedBar = el('div', { className: 'fm-picked', attrs: { 'data-role': 'picked-sample', hidden: '' } }, [this.pickedText, this.backButton]);
  /** The picked snapshot on display, and the element to give the focus back to when leaving it. */
  private shownPicked: FeatureMapSnapshot | null = null;
  private returnFocus: HTMLElement | null = null;
  private readonly gradCamToggle = document.createElement('vscode-checkbox');
  private readonly gradCamLayer = document.createElement('vscode-dropdown');
  private gradCamLayerIds: readonly string[] = [];
  private selectedLayer = ALL;
  /** Index into the snapshots; -1 = follow the latest epoch. */
  private epochIndex = -1;
  private layerIds: string[] = [];
  private last: DashboardState | null = null;

  constructor(parent: HTMLElement) {
    this.picker.id = 'fm-layer';
    this.picker.setAttribute('aria-label', 'Layer');
    this.gradCamToggle.id = 'fm-gradcam';
    this.gradCamToggle.textContent = 'Grad-CAM overlay';
    this.gradCamToggle.setAttribute('checked', '');
    this.gradCamLayer.id = 'fm-gradcam-layer';
    this.gradCamLayer.setAttribute('aria-label', 'Grad-CAM layer');
    const controls = el('div', { className: 'fm-controls' }, [
      el('span', { className: 'control' }, [el('span', { className: 'control-label', text: 'Layer' }), this.picker]),
      this.epochControl,
      this.gradCamToggle,
      el('span', { className: 'control' }, [el('span', { className: 'control-label', text: 'Grad-CAM layer' }), this.gradCamLayer]),
    ]);
    this.root = el('section', { className: 'feature-maps', attrs: { 'aria-labelledby': 'fm-title' } }, [
      el('div', { className: 'section-head' }, [el('h2', { text: 'Feature maps', attrs: { id: 'fm-title' } })]),
      this.pickedBar,
      controls,
      this.captureNote,
      this.empty,
      this.body,
    ]);
    parent.append(this.root);
    this.root.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !this.last?.picked) return;
      e.preventDefault();
      e.stopPropagation();
      this.back();
    });
    this.picker.addEventListener('change', () => {
      const v = (this.picker as HTMLSelectElement).value;
      this.selectedLayer = v || ALL;
      if (this.selectedLayer !== ALL) postToHost({ type: 'selectLayer', layerId: this.selectedLayer });
      this.redraw();
    });
    this.slider.addEventListener('input', () => {
      const max = Number(this.slider.max);
      const v = Number(this.slider.value);
      this.epochIndex = v >= max ? -1 : v;
      this.redraw();
    });
    this.gradCamToggle.addEventListener('change', () => this.redraw());
    this.gradCamLayer.addEventListener('change', () => {
      const layerId = (this.gradCamLayer as HTMLSelectElement).value;
      const shown = this.last?.featureMaps[this.last.featureMaps.length - 1]?.gradCam?.layerId;
      if (layerId && layerId !== shown) postToHost({ type: 'chooseGradCamLayer', layerId });
    });
  }

  render(s: DashboardState): void {
    this.last = s;
    if (s.revealedLayer && s.revealedLayer !== this.selectedLayer) {
      this.selectedLayer = s.revealedLayer;
      s.revealedLayer = null;
      this.root.scrollIntoView({ block: 'start' });
    }
    this.redraw();
  }

  private redraw(): void {
    const s = this.last;
    this.root.hidden = !s || s.run === null;
    if (!s || !s.run) return;
    const snaps = s.featureMaps;
    const picked = s.picked;
    const opened = picked !== null && this.shownPicked === null;
    if (opened) {
      const active = document.activeElement;
      this.returnFocus = active instanceof HTMLElement && active !== document.body && !this.root.contains(active) ? active : null;
    }
    this.shownPicked = picked;
    this.pickedBar.hidden = picked === null;
    this.captureNote.hidden = true;
    const shown = picked ?? snaps[snaps.length - 1];
    this.empty.hidden = shown !== undefined;
    this.body.hidden = shown === undefined;
    this.root.querySelector('.fm-controls')!.toggleAttribute('hidden', shown === undefined);
    if (!shown) return;

    if (picked) {
      // One snapshot, not a series: no epoch slider; the bar says whose maps these are.
      this.epochControl.hidden = true;
      const truth = picked.sample.trueClass ? ` (true: ${picked.sample.trueClass})` : '';
      this.pickedText.textContent = `Showing ${sampleName(picked)}${truth} from the evaluation, at epoch ${picked.epoch}. The training sample's maps over the epochs are kept.`;
      this.draw(picked);
      if (opened) {
        this.root.scrollIntoView({ block: 'start' });
        // Keyboard users land on the way back; a pointer user who moved on keeps their focus.
        if (this.returnFocus === null || document.activeElement === this.returnFocus) this.backButton.focus();
      }
      return;
    }
    this.epochControl.hidden = false;
    this.slider.max = String(snaps.length - 1);
    const idx = this.epochIndex < 0 || this.epochIndex >= snaps.length ? snaps.length - 1 : this.epochIndex;
    this.slider.value = String(idx);
    this.slider.disabled = snaps.length < 2;
    const snap = snaps[idx]!;
    const finished = s.status !== 'running' && s.status !== 'paused';
    const lastEpoch = Math.max(snaps[snaps.length - 1]!.epoch, ...s.epochs.map((e) => e.epoch));
    const text = epochCaptureText(snap.epoch, snaps.map((x) => x.epoch), finished ? lastEpoch : Math.max(lastEpoch, s.run.epochsPlanned));
    this.sliderLabel.textContent = text.label;
    this.slider.setAttribute('aria-valuetext', `Epoch ${snap.epoch}`);
    this.captureNote.hidden = text.note === null;
    this.captureNote.textContent = text.note ?? '';
    this.draw(snap);
  }

  private draw(snap: FeatureMapSnapshot): void {
    this.syncPicker(snap);
    this.syncGradCamLayer(snap);
    this.body.replaceChildren(this.sampleColumn(snap), this.layersColumn(snap));
  }

  /** Leaves the picked sample: the series again, and the focus back where the pick was made. */
  private back(): void {
    const s = this.last;
    if (!s?.picked) return;
    s.picked = null;
    postToHost({ type: 'closePickedSample' });
    this.redraw();
    const to = this.returnFocus;
    this.returnFocus = null;
    if (to?.isConnected) {
      to.focus();
      to.scrollIntoView({ block: 'nearest' });
    } else {
      this.slider.focus();
    }
  }

  private syncPicker(snap: FeatureMapSnapshot): void {
    const ids = snap.layers.map((l) => l.layerId);
    if (ids.join('\n') !== this.layerIds.join('\n')) {
      this.layerIds = ids;
      const all = document.createElement('vscode-option');
      all.setAttribute('value', ALL);
      all.textContent = 'All layers';
      this.picker.replaceChildren(
        all,
        ...snap.layers.map((l) => {
          const o = document.createElement('vscode-option');
          o.setAttribute('value', l.layerId);
          o.textContent = `${l.layerId} (${l.type})`;
          return o;
        }),
      );
    }
    if (this.selectedLayer !== ALL && !ids.includes(this.selectedLayer)) this.selectedLayer = ALL;
    (this.picker as HTMLSelectElement).value = this.selectedLayer;
  }

  /** The Grad-CAM layer chooser offers the snapshot's conv layers; it is hidden when there is none. */
  private syncGradCamLayer(snap: FeatureMapSnapshot): void {
    const cam = snap.gradCam;
    this.gradCamLayer.parentElement!.hidden = !cam;
    if (!cam) return;
    if (cam.layers.join('\n') !== this.gradCamLayerIds.join('\n')) {
      this.gradCamLayerIds = cam.layers;
      this.gradCamLayer.replaceChildren(
        ...cam.layers.map((id) => {
          const o = document.createElement('vscode-option');
          o.setAttribute('value', id);
          o.textContent = id;
          return o;
        }),
      );
    }
    (this.gradCamLayer as HTMLSelectElement).value = cam.layerId;
  }

  private sampleColumn(snap: FeatureMapSnapshot): HTMLElement {
    const col = el('div', { className: 'fm-sample' });
    const input = el('canvas', { className: 'pixelated', attrs: { 'data-role': 'input', 'aria-label': 'Input sample' } });
    const useCam = (this.gradCamToggle as HTMLInputElement).checked;
    drawImage(input, snap.input.shape, snap.input.data, 160, useCam ? snap.gradCam : null);
    const top = snap.prediction[0];
    const caption = [sampleName(snap)];
    if (snap.sample.trueClass) caption.push(`true: ${snap.sample.trueClass}`);
    if (top) caption.push(`predicted: ${top.className} ${fmtPercent(top.probability)}`);
    col.append(el('figure', {}, [input, el('figcaption', { text: caption.join(' · ') })]));
    if (useCam && snap.gradCam) {
      col.append(el('p', { className: 'hint', text: gradCamHint(snap) }));
    }
    if (snap.filters) {
      const f = el('canvas', { className: 'pixelated', attrs: { 'data-role': 'filters', 'aria-label': 'First-layer filters' } });
      drawFilters(f, snap.filters.shape, snap.filters.data);
      col.append(el('figure', {}, [f, el('figcaption', { text: `${snap.filters.shape[3]} filters of ${snap.filters.layerId} (${snap.filters.shape[0]}×${snap.filters.shape[1]})` })]));
    }
    return col;
  }

  private layersColumn(snap: FeatureMapSnapshot): HTMLElement {
    const col = el('div', { className: 'fm-layers' });
    for (const layer of snap.layers) {
      if (this.selectedLayer !== ALL && layer.layerId !== this.selectedLayer) continue;
      const c = el('canvas', { className: 'pixelated', attrs: { 'data-role': 'feature-map', 'data-layer': layer.layerId, 'aria-label': `Feature maps of ${layer.layerId}` } });
      drawChannelGrid(c, layer.shape, layer.tiles, this.selectedLayer === ALL ? 52 : 80);
      const [h, w, ch] = layer.shape;
      const more = layer.totalChannels > ch ? ` (first ${ch} of ${layer.totalChannels} channels)` : ` (${ch} channels)`;
      col.append(el('figure', { className: 'fm-layer' }, [el('figcaption', { text: `${layer.layerId} · ${layer.type} · ${h}×${w}${more}` }), c]));
    }
    return col;
  }
}
