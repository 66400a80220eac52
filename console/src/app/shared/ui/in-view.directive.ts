import {
  Directive,
  type ElementRef,
  inject,
  output,
  DestroyRef,
  ElementRef as ElementRefToken,
} from '@angular/core';

/** Emits when the element scrolls into view: the trigger for infinite scroll. */
@Directive({ selector: '[clInView]' })
export class InViewDirective {
  readonly clInView = output<void>();

  constructor() {
    const element = inject<ElementRef<HTMLElement>>(ElementRefToken).nativeElement;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.clInView.emit();
    });
    observer.observe(element);
    inject(DestroyRef).onDestroy(() => observer.disconnect());
  }
}
