/**
 * The PyTorch export of Keras' random image transforms (RandomRotation, RandomZoom, RandomTranslation): a
 * helper module that, in training only, draws one affine transform per image with Keras' matrices and
 * samples the image as TF's ImageProjectiveTransformV3 does (the engine's imageTransform.ts, in torch):
 * the fill mode maps the source coordinate, nearest rounds half away from zero, bilinear reads four
 * neighbours, and a neighbour outside the image reads the fill value. Channels-first, as PyTorch.
 */
import type { ModelNode } from '../format';
import { CodegenError, numberParam, resolvedParams, stringParam } from './graph';
import { pyFloat, pyString } from './python';

export const KERAS_RANDOM_TRANSFORM = `class KerasRandomTransform(nn.Module):
    """Keras' RandomRotation / RandomZoom / RandomTranslation: in training one random affine transform per
    image (Keras' matrices, sampled as TF's ImageProjectiveTransformV3); the identity in eval mode."""

    def __init__(self, kind, height_factor, width_factor, fill_mode, interpolation, fill_value):
        super().__init__()
        self.kind, self.height_factor, self.width_factor = kind, height_factor, width_factor
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def rows(self, x):
        """Per image, the source pixel of output (x, y) is (r0 x + r1 y + r2, r3 x + r4 y + r5)."""
        n, _, h, w = x.shape
        draw = lambda factor: (torch.rand(n, device=x.device) * 2 - 1) * factor
        zero, one = torch.zeros(n, device=x.device), torch.ones(n, device=x.device)
        if self.kind == "rotation":  # about the centre of the pixel grid; positive: counter-clockwise
            angle = draw(self.height_factor) * 6.283185307179586
            cos, sin = torch.cos(angle), torch.sin(angle)
            x_offset = ((w - 1) - (cos * (w - 1) - sin * (h - 1))) / 2
            y_offset = ((h - 1) - (sin * (w - 1) + cos * (h - 1))) / 2
            return torch.stack([cos, -sin, x_offset, sin, cos, y_offset], 1)
        if self.kind == "zoom":  # a zoom above 1 samples a wider area: zooms out
            height_zoom = 1 + draw(self.height_factor)
            width_zoom = height_zoom if self.width_factor is None else 1 + draw(self.width_factor)
            return torch.stack([width_zoom, zero, (w - 1) / 2 * (1 - width_zoom), zero, height_zoom, (h - 1) / 2 * (1 - height_zoom)], 1)
        dy, dx = draw(self.height_factor) * h, draw(self.width_factor) * w
        return torch.stack([one, zero, -dx, zero, one, -dy], 1)

    def map_coord(self, c, size):
        if self.fill_mode == "constant":
            return c
        if self.fill_mode == "nearest" or size <= 1:
            return c.clamp(0, size - 1)
        if self.fill_mode == "reflect":  # [abcd] -> [dcba|abcd|dcba]
            sz2 = 2 * size
            t = torch.floor(-c / sz2) * sz2 + c
            below = torch.where(t < -size, t + sz2, -t - 1)
            u = c - torch.floor(c / sz2) * sz2
            above = torch.where(u >= size, sz2 - 1 - u, u)
        else:  # wrap, as TF computes it
            below = c + (torch.floor(-c / (size - 1)) + 1) * size
            above = c - torch.floor(c / (size - 1)) * size
        return torch.where(c < 0, below, torch.where(c > size - 1, above, c)).clamp(0, size - 1)

    def read(self, x, row, col):
        """x at integer-valued (row, col) [n, h, w] per image; the fill value outside the image."""
        n, c, h, w = x.shape
        inside = ((row >= 0) & (row < h) & (col >= 0) & (col < w)).unsqueeze(1)
        index = (row.clamp(0, h - 1) * w + col.clamp(0, w - 1)).long().view(n, 1, h * w).expand(n, c, h * w)
        values = torch.gather(x.reshape(n, c, h * w), 2, index).view(n, c, h, w)
        return torch.where(inside, values, torch.full_like(values, self.fill_value))

    def forward(self, x):
        if not self.training:
            return x
        n, _, h, w = x.shape
        r = self.rows(x).view(n, 6, 1, 1)
        ys = torch.arange(h, device=x.device, dtype=x.dtype).view(1, h, 1)
        xs = torch.arange(w, device=x.device, dtype=x.dtype).view(1, 1, w)
        sx = self.map_coord(r[:, 0] * xs + r[:, 1] * ys + r[:, 2], w)
        sy = self.map_coord(r[:, 3] * xs + r[:, 4] * ys + r[:, 5], h)
        if self.interpolation == "nearest":  # std::round: half away from zero
            return self.read(x, torch.sign(sy) * torch.floor(sy.abs() + 0.5), torch.sign(sx) * torch.floor(sx.abs() + 0.5))
        x0, y0 = torch.floor(sx), torch.floor(sy)
        wx, wy = (sx - x0).unsqueeze(1), (sy - y0).unsqueeze(1)
        top = self.read(x, y0, x0) * (1 - wx) + self.read(x, y0, x0 + 1) * wx
        bottom = self.read(x, y0 + 1, x0) * (1 - wx) + self.read(x, y0 + 1, x0 + 1) * wx
        return top * (1 - wy) + bottom * wy`;

/** `KerasRandomTransform(...)` for a RandomRotation, RandomZoom or RandomTranslation node. */
export function randomTransformModule(node: ModelNode): string {
  const p = resolvedParams(node);
  const factor = (name: string): string => pyFloat(numberParam(p, name));
  const rest = `${pyString(stringParam(p, 'fillMode'))}, ${pyString(stringParam(p, 'interpolation'))}, ${pyFloat(numberParam(p, 'fillValue'))}`;
  switch (node.type) {
    case 'RandomRotation':
      return `KerasRandomTransform("rotation", ${factor('factor')}, None, ${rest})`;
    case 'RandomZoom': {
      const width = p['widthFactor'];
      return `KerasRandomTransform("zoom", ${factor('heightFactor')}, ${width === null || width === undefined ? 'None' : factor('widthFactor')}, ${rest})`;
    }
    case 'RandomTranslation':
      return `KerasRandomTransform("translation", ${factor('heightFactor')}, ${factor('widthFactor')}, ${rest})`;
    default:
      throw new CodegenError(`Layer '${node.id}' (${node.type}) is not a random image transform.`);
  }
}
