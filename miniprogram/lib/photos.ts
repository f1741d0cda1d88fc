// Photos of a draft live in the app's own user-data folder until the letter is sent: WeChat may delete temporary
// files at any time, so a restored draft would otherwise show broken images and fail to upload. A photo that vanished
// anyway (the citizen cleared WeChat's storage) is dropped from the draft and the citizen is told.
// https://developers.weixin.qq.com/miniprogram/dev/framework/ability/file-system.html
import type { DraftPhoto } from './draft';

/** Same default as the gateway's MP_UPLOAD_MAX_BYTES; the profile tells the real one. */
export const DEFAULT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

const fs = () => wx.getFileSystemManager();

function userDataPath(): string {
  return wx.env.USER_DATA_PATH;
}

export function isKept(path: string): boolean {
  return path.startsWith(`${userDataPath()}/`);
}

/** Copies a temporary photo into the user-data folder; answers the kept path. */
export function keepPhoto(tempPath: string, clientKey: string): Promise<string> {
  const ext = /\.(jpe?g|png|gif|webp)$/i.exec(tempPath)?.[1] ?? 'jpg';
  const dest = `${userDataPath()}/draft-${clientKey}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}.${ext}`;
  return new Promise((resolve, reject) => {
    fs().copyFile({
      srcPath: tempPath,
      destPath: dest,
      success: () => resolve(dest),
      fail: (e) => reject(new Error(e.errMsg)),
    });
  });
}

/** The size of a file in bytes, or null when it cannot be read (vanished). */
export function fileSize(path: string): number | null {
  try {
    const s = fs().statSync(path, false);
    return Array.isArray(s) ? null : s.size;
  } catch {
    return null;
  }
}

export function exists(path: string): boolean {
  try {
    fs().accessSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Splits a restored draft's photos into those still on the phone and those gone. */
export function checkPhotos(photos: DraftPhoto[]): { kept: DraftPhoto[]; vanished: number } {
  const kept = photos.filter((p) => exists(p.path));
  return { kept, vanished: photos.length - kept.length };
}

/** Deletes kept photos once the letter is sent (or a photo is removed); failures only leave a file behind. */
export function forgetPhotos(photos: DraftPhoto[]): void {
  for (const p of photos) if (isKept(p.path)) fs().unlink({ filePath: p.path, fail: () => undefined });
}
