import { type DragEvent, useRef, useState } from 'react';
import type { DroppedFile } from './import/import-dialog';

/** True when what is dragged carries files (not text or a link dragged within the page). */
function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes('Files');
}

/**
 * A file dropped on an element: its path where the desktop bridge can tell it, else only its name
 * (a browser never gives a page the path). `dragging` is true while a file is over the element.
 */
export function useFileDrop(onDrop: (file: DroppedFile) => void) {
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed; the depth says when the pointer really left.
  const depth = useRef(0);
  const dropProps = {
    onDragEnter: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // Without this the drop is refused and the browser opens the file in place of the app.
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      const file = event.dataTransfer.files[0];
      if (file === undefined) return;
      const path = window.desktop?.pathForFile(file) ?? null;
      onDrop(path === null ? { name: file.name } : { path });
    },
  };
  return { dragging, dropProps } as const;
}
