/** Sample bulletins the demo commune starts with. Audio is synthesised (speech-like noise), not real speech. */
export interface SampleBulletin {
  title: string;
  topic: string;
  seconds: number;
  approve: boolean;
}

export const SAMPLE_BULLETINS: SampleBulletin[] = [
  { title: 'Nghị quyết 57-NQ/TW: đột phá phát triển khoa học, công nghệ', topic: 'Nghị quyết 57-NQ/TW', seconds: 45, approve: true },
  { title: 'Hướng dẫn cài đặt và kích hoạt tài khoản VNeID mức 2', topic: 'Đề án 06 và định danh điện tử', seconds: 60, approve: true },
  { title: 'Thanh toán không dùng tiền mặt tại chợ Việt An', topic: 'Thanh toán không dùng tiền mặt', seconds: 40, approve: false },
  { title: 'Thông báo lịch thu gom rác thải tuần này', topic: 'Thông báo của UBND xã', seconds: 30, approve: false },
];

/**
 * A lavfi graph for speech-like audio: pink noise shaped by a syllable envelope, with pauses, preceded and
 * followed by a second of silence (which the pipeline trims).
 */
export function speechLikeSource(seconds: number, seed: number): string {
  return (
    `anoisesrc=color=pink:amplitude=0.3:duration=${seconds}:sample_rate=44100:seed=${seed},lowpass=f=3500,` +
    `volume='if(lt(mod(t\\,3)\\,2.2)\\,0.55+0.45*sin(2*PI*4*t)\\,0.03)':eval=frame,adelay=1000:all=1,apad=pad_dur=1`
  );
}
